import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { runCli } from '../support/cli';
import { makeKubeadmNode } from '../support/clusterFixture';
import { missingPeer } from '../support/openssl';
import { describeNeeding, REPO_ROOT } from '../support/paths';
import { edit, issue, lineOf } from '../support/seed';

const skip = missingPeer('openssl');
const DAY = 86_400_000;
const PKI = 'etc/kubernetes/pki';

interface Row {
  role: string;
  file: string;
  field: string | null;
  line: number;
  subject: string;
  notAfter: string;
  daysLeft: number;
  ca: string | null;
  caKeyPresent: boolean;
  referenced: boolean;
  referencedBy: Array<{ file: string; line: number; component: string; name: string }>;
}

/** notAfter as Node's own X.509 parser reads it: an independent witness of what kube-pki prints. */
function notAfterOf(root: string, file: string): Date {
  return new Date(new X509Certificate(readFileSync(join(root, file))).validTo);
}

function expiryJson(root: string, ...args: string[]): { status: number | null; certificates: Row[]; authorities: Row[] } {
  const run = runCli(['expiry', root, '--format', 'json', ...args]);
  assert.equal(run.stderr, '');
  const parsed = JSON.parse(run.stdout);
  assert.deepEqual(Object.keys(parsed), ['version', 'certificates', 'authorities']);
  assert.equal(parsed.version, 1);
  return { status: run.status, ...parsed };
}

const iso = (d: Date) => d.toISOString();

describeNeeding('kube-pki expiry (CLI)', skip, () => {
  let root: string;
  let leafEnd: Date;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'kube-pki-cli-expiry-'));
    makeKubeadmNode(root);
    leafEnd = notAfterOf(root, `${PKI}/apiserver.crt`);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('lists every leaf and CA the configuration uses, soonest first, and exits 0 when all are far from expiry', () => {
    const now = new Date(leafEnd.getTime() - 200 * DAY);
    const { status, certificates, authorities } = expiryJson(root, '--now', iso(now));
    assert.equal(status, 0);
    assert.deepEqual(certificates.map((r) => r.role).sort(), [
      'admin.conf client',
      'apiserver',
      'apiserver-etcd-client',
      'apiserver-kubelet-client',
      'controller-manager.conf client',
      'etcd peer',
      'etcd server',
      'front-proxy-client',
      'healthcheck-client.crt',
      'kubelet serving',
      'kubelet.conf client',
      'scheduler.conf client',
      'super-admin.conf client',
    ]);
    const referenced = certificates.filter((r) => r.referenced);
    assert.deepEqual(
      referenced.map((r) => r.notAfter),
      referenced.map((r) => r.notAfter).sort(),
      'soonest first',
    );
    // kubeadm's etcd healthcheck client is named by no flag (the probe uses the metrics port): listed last, marked.
    assert.deepEqual(
      certificates.map((r) => r.referenced),
      [...referenced.map(() => true), false],
    );
    const apiserver = certificates.find((r) => r.role === 'apiserver')!;
    assert.deepEqual(apiserver, {
      role: 'apiserver',
      file: `${PKI}/apiserver.crt`,
      field: null,
      line: 1,
      subject: 'CN=kube-apiserver',
      notAfter: iso(leafEnd),
      daysLeft: 200,
      ca: 'ca',
      caKeyPresent: true,
      referenced: true,
      referencedBy: [
        {
          file: 'etc/kubernetes/manifests/kube-apiserver.yaml',
          line: lineOf(root, 'etc/kubernetes/manifests/kube-apiserver.yaml', '--tls-cert-file='),
          component: 'kube-apiserver',
          name: '--tls-cert-file',
        },
      ],
    });
    assert.deepEqual(
      authorities.map((r) => [r.role, r.file, r.ca, r.caKeyPresent, r.notAfter]),
      ['ca', 'etcd-ca', 'front-proxy-ca']
        .map((role) => {
          const file = `${PKI}/${role === 'etcd-ca' ? 'etcd/ca' : role}.crt`;
          return [role, file, null, true, iso(notAfterOf(root, file))];
        })
        .sort((a, b) => String(a[4]).localeCompare(String(b[4])) || String(a[0]).localeCompare(String(b[0]))),
    );
  });

  it('a certificate embedded in a kubeconfig: the kubeconfig, its user as field, the line of its data', () => {
    const { certificates } = expiryJson(root);
    const admin = certificates.find((r) => r.role === 'admin.conf client')!;
    const line = lineOf(root, 'etc/kubernetes/admin.conf', 'client-certificate-data:');
    assert.deepEqual(
      { file: admin.file, field: admin.field, line: admin.line, ca: admin.ca, caKeyPresent: admin.caKeyPresent, subject: admin.subject },
      {
        file: 'etc/kubernetes/admin.conf',
        field: 'kubernetes-admin',
        line,
        ca: 'ca',
        caKeyPresent: true,
        subject: 'O=kubeadm:cluster-admins, CN=kubernetes-admin',
      },
    );
    assert.deepEqual(admin.referencedBy, [{ file: 'etc/kubernetes/admin.conf', line, component: 'kubeconfig', name: 'client-certificate-data' }]);
  });

  it('exits 1 when a leaf is within 30 days, and says which in kubeadm-style text', () => {
    const now = new Date(leafEnd.getTime() - 10 * DAY);
    const run = runCli(['expiry', root, '--now', iso(now)]);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    const lines = run.stdout.split('\n');
    assert.match(lines[0], /^CERTIFICATE {3,}WHERE {3,}EXPIRES {3,}RESIDUAL TIME {3}CERTIFICATE AUTHORITY {3}EXTERNALLY MANAGED$/);
    const apiserverRow = lines.find((l) => l.startsWith('apiserver '))!.split(/ {3,}/);
    const month = leafEnd.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
    const when = `${month} ${String(leafEnd.getUTCDate()).padStart(2, '0')}, ${leafEnd.getUTCFullYear()} ${String(leafEnd.getUTCHours()).padStart(2, '0')}:${String(leafEnd.getUTCMinutes()).padStart(2, '0')} UTC`;
    assert.deepEqual(apiserverRow, ['apiserver', `${PKI}/apiserver.crt`, when, '10d', 'ca', 'no']);
    const adminRow = lines.find((l) => l.startsWith('admin.conf client '))!.split(/ {3,}/);
    assert.deepEqual(adminRow.slice(0, 2), ['admin.conf client', 'etc/kubernetes/admin.conf (kubernetes-admin)']);
    assert.ok(lines.includes('CERTIFICATE AUTHORITY   WHERE                                   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED'));
    const summary = lines.filter((l) => l !== '').pop()!;
    assert.ok(summary.startsWith('✖ 12 expired or within 30 days: '), summary);
  });

  it('--expiry-warning 400 widens the window to a year-long leaf: exit 1; the CAs (10 years) stay fine', () => {
    const { status, certificates, authorities } = expiryJson(root, '--expiry-warning', '400');
    assert.equal(status, 1);
    assert.ok(certificates.every((r) => r.daysLeft <= 365));
    assert.ok(authorities.every((r) => r.daysLeft > 3000));
    assert.equal(expiryJson(root).status, 0);
  });

  it('an expired .bak copy and an old rotated kubelet client certificate are listed last, marked, and do not change the exit code', () => {
    const expired = issue(root, { cert: `${PKI}/ca.crt`, key: `${PKI}/ca.key` }, '/CN=kube-apiserver', ['extendedKeyUsage=serverAuth'], {
      startDate: '20200101000000Z',
      endDate: '20210101000000Z',
    });
    writeFileSync(join(root, `${PKI}/apiserver.crt.bak-20210101T000000Z`), expired.cert);
    const rotated = issue(root, { cert: `${PKI}/ca.crt`, key: `${PKI}/ca.key` }, '/O=system:nodes/CN=system:node:cp-1', ['extendedKeyUsage=clientAuth'], {
      startDate: '20200101000000Z',
      endDate: '20210101000000Z',
    });
    writeFileSync(join(root, 'var/lib/kubelet/pki/kubelet-client-2020-06-01-00-00-00.pem'), rotated.cert + rotated.key);
    try {
      const { status, certificates } = expiryJson(root);
      assert.equal(status, 0);
      assert.deepEqual(
        certificates.filter((r) => !r.referenced).map((r) => [r.role, r.file, r.notAfter, r.ca, r.referencedBy]),
        [
          ['backup of apiserver.crt', `${PKI}/apiserver.crt.bak-20210101T000000Z`, '2021-01-01T00:00:00.000Z', 'ca', []],
          ['kubelet client (rotated)', 'var/lib/kubelet/pki/kubelet-client-2020-06-01-00-00-00.pem', '2021-01-01T00:00:00.000Z', 'ca', []],
          ['healthcheck-client.crt', `${PKI}/etcd/healthcheck-client.crt`, iso(notAfterOf(root, `${PKI}/etcd/healthcheck-client.crt`)), 'etcd-ca', []],
        ],
      );
      assert.ok(
        certificates.slice(-3).every((r) => !r.referenced),
        'after every referenced certificate',
      );
      const text = runCli(['expiry', root]);
      assert.equal(text.status, 0);
      const tail = text.stdout.slice(text.stdout.indexOf('NOT REFERENCED')).split('\n');
      assert.equal(tail[0], 'NOT REFERENCED (nothing in the configuration uses them; they never change the exit code)');
      assert.match(
        tail[2],
        /^backup of apiserver\.crt {3,}etc\/kubernetes\/pki\/apiserver\.crt\.bak-20210101T000000Z {3,}Jan 01, 2021 00:00 UTC {3}expired {9}ca$/,
      );
      assert.match(text.stdout, /\n✓ none expired or within 30 days \(15 certificates\)\n$/);
    } finally {
      rmSync(join(root, `${PKI}/apiserver.crt.bak-20210101T000000Z`));
      rmSync(join(root, 'var/lib/kubelet/pki/kubelet-client-2020-06-01-00-00-00.pem'));
    }
  });

  it('escapes a kubeconfig user name for the terminal (a bidi override shows as \\u202e), and in JSON', () => {
    const conf = join(root, 'etc/kubernetes/admin.conf');
    const original = readFileSync(conf, 'utf8');
    edit(root, 'etc/kubernetes/admin.conf', (t) => t.replaceAll('kubernetes-admin', 'kubernetes-\u202eadmin'));
    try {
      const text = runCli(['expiry', root]);
      const row = text.stdout.split('\n').find((l) => l.startsWith('admin.conf client '))!;
      assert.equal(row.split(/ {3,}/)[1], 'etc/kubernetes/admin.conf (kubernetes-\\u202eadmin)');
      assert.ok(!text.stdout.includes('\u202e'));
      const json = runCli(['expiry', root, '--format', 'json']);
      assert.ok(json.stdout.includes('"field": "kubernetes-\\u202eadmin"'));
      assert.ok(!json.stdout.includes('\u202e'));
    } finally {
      writeFileSync(conf, original);
    }
  });

  it('exits 2 on a usage error and on a missing DIR', () => {
    const format = runCli(['expiry', root, '--format', 'sarif']);
    assert.equal(format.status, 2);
    assert.ok(format.stderr.startsWith('kube-pki expiry: --format must be text or json, not "sarif"\n\nUsage: kube-pki expiry [DIR...]'), format.stderr);
    assert.equal(format.stdout, '');
    const days = runCli(['expiry', root, '--expiry-warning', 'soon']);
    assert.equal(days.status, 2);
    assert.ok(days.stderr.startsWith('kube-pki expiry: --expiry-warning needs a whole number of days, not "soon"'));
    const missing = runCli(['expiry', join(root, 'nope')]);
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, `kube-pki expiry: ${join(root, 'nope')}: no such directory\n`);
    assert.equal(missing.stdout, '');
  });
});

it('prints the example cluster as kubeadm certs check-expiration does, with a WHERE column (exact text)', () => {
  const run = runCli(['expiry', join(REPO_ROOT, 'examples/cluster'), '--now', '2026-12-01T00:00:00Z']);
  assert.equal(run.status, 1, 'its apiserver-etcd-client expired in 2021');
  assert.equal(
    run.stdout,
    [
      'CERTIFICATE                      WHERE                                                                     EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED',
      'apiserver-etcd-client            etc/kubernetes/pki/apiserver-etcd-client.crt                              Mar 15, 2021 00:00 UTC   expired         etcd-ca                 no',
      'admin.conf client                etc/kubernetes/admin.conf (kubernetes-admin)                              Nov 23, 2027 21:30 UTC   357d            front-proxy-ca          no',
      'kubelet serving                  var/lib/kubelet/pki/kubelet.crt                                           Nov 23, 2027 21:30 UTC   357d            CN=cp-1-ca@1795469409   yes',
      'scheduler.conf client            etc/kubernetes/scheduler.conf (system:kube-scheduler)                     Nov 23, 2027 21:30 UTC   357d            ca                      no',
      'apiserver                        etc/kubernetes/pki/apiserver.crt                                          Nov 20, 2036 21:30 UTC   9y              ca                      no',
      'apiserver-kubelet-client         etc/kubernetes/pki/apiserver-kubelet-client.crt                           Nov 20, 2036 21:30 UTC   9y              ca                      no',
      'front-proxy-client               etc/kubernetes/pki/front-proxy-client.crt                                 Nov 20, 2036 21:30 UTC   9y              front-proxy-ca          no',
      'etcd peer                        etc/kubernetes/pki/etcd/peer.crt                                          Nov 20, 2036 21:30 UTC   9y              etcd-ca                 no',
      'etcd server                      etc/kubernetes/pki/etcd/server.crt                                        Nov 20, 2036 21:30 UTC   9y              etcd-ca                 no',
      'controller-manager.conf client   etc/kubernetes/controller-manager.conf (system:kube-controller-manager)   Nov 20, 2036 21:30 UTC   9y              ca                      no',
      'super-admin.conf client          etc/kubernetes/super-admin.conf (kubernetes-super-admin)                  Nov 20, 2036 21:30 UTC   9y              ca                      no',
      'kubelet.conf client              var/lib/kubelet/pki/kubelet-client-current.pem                            Nov 20, 2036 21:30 UTC   9y              ca                      no',
      '',
      'CERTIFICATE AUTHORITY   WHERE                                   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED',
      'ca                      etc/kubernetes/pki/ca.crt               Nov 20, 2036 21:30 UTC   9y              no',
      'etcd-ca                 etc/kubernetes/pki/etcd/ca.crt          Nov 20, 2036 21:30 UTC   9y              no',
      'front-proxy-ca          etc/kubernetes/pki/front-proxy-ca.crt   Nov 20, 2036 21:30 UTC   9y              no',
      '',
      'NOT REFERENCED (nothing in the configuration uses them; they never change the exit code)',
      'CERTIFICATE              WHERE                                            EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY',
      'healthcheck-client.crt   etc/kubernetes/pki/etcd/healthcheck-client.crt   Nov 20, 2036 21:30 UTC   9y              etcd-ca',
      '',
      '✖ 1 expired or within 30 days: apiserver-etcd-client',
    ].join('\n') + '\n',
  );
});
