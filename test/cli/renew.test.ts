import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { x509 } from '../../server/src/engine/pki/x509Runtime';
import { runCli } from '../support/cli';
import { REPO_ROOT } from '../support/paths';

const NOW = '2027-06-01T00:00:00Z';
const BAK = '.bak-20270601T000000Z';
const PKI = 'etc/kubernetes/pki';
const made: string[] = [];

/** A copy of the example cluster (a kubeadm node: manifests, kubeconfigs, PKI with CA keys). */
function cluster(): string {
  const root = mkdtempSync(join(tmpdir(), 'kube-pki-renew-'));
  made.push(root);
  cpSync(join(REPO_ROOT, 'examples/cluster'), root, { recursive: true, verbatimSymlinks: true });
  // git keeps no modes: the kubeconfigs hold keys, so 0600 as kubeadm writes them (else key-permissions speaks).
  for (const name of readdirSync(join(root, 'etc/kubernetes'))) if (name.endsWith('.conf')) chmodSync(join(root, 'etc/kubernetes', name), 0o600);
  return root;
}

const read = (root: string, rel: string) => readFileSync(join(root, rel), 'utf8');
const certOf = (pem: string) => new x509.X509Certificate(pem);

describe('kube-pki renew (CLI)', () => {
  after(() => {
    for (const root of made) rmSync(root, { recursive: true, force: true });
  });

  it('plans, renews the named leaves with the same key and names, keeps .bak copies, and lists the restarts', () => {
    const root = cluster();
    const before = { crt: read(root, `${PKI}/apiserver.crt`), key: read(root, `${PKI}/apiserver.key`), admin: read(root, 'etc/kubernetes/admin.conf') };
    const run = runCli(['renew', root, 'apiserver', 'admin.conf', 'etc/kubernetes/pki/etcd/server.crt', '--now', NOW]);
    assert.equal(run.stderr, '');
    assert.equal(
      run.stdout,
      [
        'kube-pki renew: 3 to renew, 0 skipped',
        '  renew  etc/kubernetes/admin.conf (user kubernetes-admin): 2027-11-23T21:30:09Z -> 2028-05-31T00:00:00Z (signed by etc/kubernetes/pki/front-proxy-ca.crt)',
        '  renew  etc/kubernetes/pki/apiserver.crt: 2036-11-20T21:30:06Z -> 2028-05-31T00:00:00Z (signed by etc/kubernetes/pki/ca.crt)',
        '  renew  etc/kubernetes/pki/etcd/server.crt: 2036-11-20T21:30:07Z -> 2028-05-31T00:00:00Z (signed by etc/kubernetes/pki/etcd/ca.crt)',
        `  wrote  etc/kubernetes/admin.conf (kept etc/kubernetes/admin.conf${BAK})`,
        `  wrote  etc/kubernetes/pki/apiserver.crt (kept etc/kubernetes/pki/apiserver.crt${BAK})`,
        `  wrote  etc/kubernetes/pki/etcd/server.crt (kept etc/kubernetes/pki/etcd/server.crt${BAK})`,
        'Restart to load the new files: etcd, kube-apiserver',
        '',
      ].join('\n'),
    );
    assert.equal(run.status, 0);
    assert.equal(read(root, `${PKI}/apiserver.crt${BAK}`), before.crt);
    assert.equal(read(root, `${PKI}/apiserver.key`), before.key);
    const [old, renewed] = [certOf(before.crt), certOf(read(root, `${PKI}/apiserver.crt`))];
    assert.equal(renewed.subject, old.subject);
    assert.deepEqual(Buffer.from(renewed.publicKey.rawData), Buffer.from(old.publicKey.rawData));
    assert.deepEqual(
      renewed.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON(),
      old.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON(),
    );
    assert.equal(renewed.getExtension(x509.KeyUsagesExtension)?.usages, old.getExtension(x509.KeyUsagesExtension)?.usages);
    assert.deepEqual(renewed.getExtension(x509.ExtendedKeyUsageExtension)?.usages, old.getExtension(x509.ExtendedKeyUsageExtension)?.usages);
    assert.equal(renewed.notAfter.toISOString(), '2028-05-31T00:00:00.000Z');
    // The kubeconfig: only the client-certificate-data line changed.
    const [was, is] = [before.admin.split('\n'), read(root, 'etc/kubernetes/admin.conf').split('\n')];
    const changed = was.flatMap((line, i) => (line === is[i] ? [] : [i]));
    assert.equal(is.length, was.length);
    assert.deepEqual(changed, [was.findIndex((l) => l.includes('client-certificate-data:'))]);
    assert.equal(read(root, `etc/kubernetes/admin.conf${BAK}`), before.admin);
    // The backups configure nothing: check reports admin.conf (signed by the front-proxy CA) once, not its .bak again.
    const check = runCli(['check', root, '--format', 'json', '--now', NOW]);
    const files = (JSON.parse(check.stdout) as { diagnostics: Array<{ file: string; code: string }> }).diagnostics.map((d) => `${d.file} ${d.code}`);
    assert.deepEqual(
      files.filter((f) => f.includes('admin.conf')),
      ['etc/kubernetes/admin.conf ca-mismatch'],
    );
  });

  it('--dry-run prints the plan as JSON and writes nothing', () => {
    const root = cluster();
    const before = read(root, `${PKI}/front-proxy-client.crt`);
    const run = runCli(['renew', root, 'front-proxy-client', 'scheduler.conf', '--dry-run', '--now', NOW, '--format', 'json']);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      version: 1,
      renewed: [
        { file: 'etc/kubernetes/pki/front-proxy-client.crt', field: null, oldNotAfter: '2036-11-20T21:30:06Z', newNotAfter: '2028-05-31T00:00:00Z' },
        { file: 'etc/kubernetes/scheduler.conf', field: 'system:kube-scheduler', oldNotAfter: '2027-11-23T21:30:10Z', newNotAfter: '2028-05-31T00:00:00Z' },
      ],
      skipped: [],
      restart: ['kube-apiserver', 'kube-scheduler'],
    });
    assert.equal(read(root, `${PKI}/front-proxy-client.crt`), before);
    assert.equal(existsSync(join(root, `${PKI}/front-proxy-client.crt${BAK}`)), false);
  });

  it('a certificate a kubeconfig names by path restarts the component running with that kubeconfig (before: no restart)', () => {
    const root = cluster();
    // scheduler.conf's credentials moved to files, as a hand-made node keeps them: the scheduler's manifest names scheduler.conf.
    const conf = parseDocument(read(root, 'etc/kubernetes/scheduler.conf'));
    const user = ['users', 0, 'user'];
    writeFileSync(join(root, PKI, 'scheduler.crt'), Buffer.from(String(conf.getIn([...user, 'client-certificate-data'])), 'base64'));
    writeFileSync(join(root, PKI, 'scheduler.key'), Buffer.from(String(conf.getIn([...user, 'client-key-data'])), 'base64'), { mode: 0o600 });
    conf.deleteIn([...user, 'client-certificate-data']);
    conf.deleteIn([...user, 'client-key-data']);
    conf.setIn([...user, 'client-certificate'], '/etc/kubernetes/pki/scheduler.crt');
    conf.setIn([...user, 'client-key'], '/etc/kubernetes/pki/scheduler.key');
    writeFileSync(join(root, 'etc/kubernetes/scheduler.conf'), conf.toString(), { mode: 0o600 });
    const run = runCli(['renew', root, `${PKI}/scheduler.crt`, '--now', NOW, '--format', 'json']);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual((JSON.parse(run.stdout) as { restart: string[] }).restart, ['kube-scheduler']);
  });

  it('clamps a leaf to its CA notAfter and says so', () => {
    const root = cluster();
    const run = runCli(['renew', root, 'apiserver-kubelet-client', '--validity', '20y', '--now', NOW, '--dry-run']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(
      run.stdout,
      'kube-pki renew: 1 to renew, 0 skipped (dry run: nothing written)\n' +
        '  renew  etc/kubernetes/pki/apiserver-kubelet-client.crt: 2036-11-20T21:30:06Z -> 2036-11-20T21:30:05Z (signed by etc/kubernetes/pki/ca.crt, clamped to the notAfter of etc/kubernetes/pki/ca.crt)\n',
    );
  });

  it('skips a leaf whose CA key is not in the tree, and exits 1; the kubelet keeps its own certificates', () => {
    const root = cluster();
    unlinkSync(join(root, `${PKI}/etcd/ca.key`));
    const run = runCli(['renew', root, 'etcd-peer', 'var/lib/kubelet/pki/kubelet-client-current.pem', '--now', NOW, '--format', 'json']);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      version: 1,
      renewed: [],
      skipped: [
        { file: 'etc/kubernetes/pki/etcd/peer.crt', field: null, reason: 'the key of the CA that signed it (CN=etcd-ca) is not in the tree' },
        { file: 'var/lib/kubelet/pki/kubelet-client-current.pem', field: null, reason: 'the kubelet renews its own certificates (as with kubeadm)' },
      ],
      restart: [],
    });
  });

  it('reports a CA within the warning window, and exits 2 on usage errors', () => {
    const root = cluster();
    const run = runCli(['renew', root, 'front-proxy-client', '--now', '2036-11-01T00:00:00Z', '--dry-run']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      /\n {2}warning: CA etc\/kubernetes\/pki\/front-proxy-ca\.crt expires in 19 days: renewing a CA is a rotation, not a renewal \(kube-pki does not do it\)\n$/,
    );
    assert.equal(runCli(['renew', root]).status, 2);
    assert.equal(runCli(['renew', root, '--all', 'apiserver']).status, 2);
    assert.equal(runCli(['renew', root, '--all', '--validity', 'soon']).status, 2);
  });
});
