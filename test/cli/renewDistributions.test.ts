import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { checkTree } from '../../server/src/engine/run/runCheck';
import { runCli } from '../support/cli';
import { ETCD_SSL, makeKubesprayNode } from '../support/kubesprayFixture';
import { makeMicrok8sNode, snapData } from '../support/microk8sFixture';
import { missingPeer } from '../support/openssl';
import { makePackageInstallNode, SRV } from '../support/packageInstallFixture';
import { describeNeeding } from '../support/paths';
import { dataDir, makeRancherServer } from '../support/rancherFixture';
import { applyRancherServingReissue, assertCheckClean, assertRenewedCert, pemBlocks, RENEW_BAK, RENEW_NOW, readRel } from '../support/renewAssertions';
import { edit, fixtureTrees } from '../support/seed';

const NOW = RENEW_NOW;
const BAK = RENEW_BAK;
const TLS = `${dataDir('k3s')}/server/tls`;
const AGENT = `${dataDir('k3s')}/agent`;
const skip = missingPeer('openssl');

const read = readRel;
const mode = (root: string, rel: string) => statSync(join(root, rel)).mode & 0o777;

/** The plan's renew lines with the old notAfter (the fixture's day of making) left out. */
function renewLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('  renew  '))
    .map((l) => l.replace(/: \d{4}-\d\d-\d\dT[\d:]+Z -> /, ': -> '));
}

/** The renewed file's first certificate against the old one: same key, subject and names; the new notAfter; openssl verifies it. */
function assertRenewed(root: string, rel: string, ca: string, notAfter: string): void {
  const [old, renewed] = [new X509Certificate(read(root, `${rel}${BAK}`)), new X509Certificate(read(root, rel))];
  // The same names (a name the old certificate listed twice is listed once).
  const names = (c: X509Certificate) => [...new Set((c.subjectAltName ?? '').split(', '))];
  assert.deepEqual(names(renewed), names(old));
  assertRenewedCert(root, rel, read(root, rel), ca, notAfter);
}

describeNeeding('kube-pki renew on the distributions’ layouts', skip, () => {
  const k3s = fixtureTrees((root) => makeRancherServer(root));
  const kubespray = fixtureTrees((root) => makeKubesprayNode(root));
  const microk8s = fixtureTrees((root) => makeMicrok8sNode(root));
  const packages = fixtureTrees((root) => makePackageInstallNode(root));

  it('k3s: leaf + CA again, the same key, 365 days (dynamiclistener), the agent’s certificates too; .bak kept, keys untouched, check clean', () => {
    const root = k3s.seeded(() => undefined);
    const names = [`${TLS}/client-admin.crt`, `${TLS}/serving-kube-apiserver.crt`, `${AGENT}/client-kubelet.crt`];
    const before = Object.fromEntries(names.map((n) => [n, read(root, n)]));
    const key = read(root, `${TLS}/client-admin.key`);
    const run = runCli(['renew', root, ...names, '--now', NOW]);
    assert.equal(run.stderr, '');
    assert.deepEqual(renewLines(run.stdout), [
      `  renew  ${AGENT}/client-kubelet.crt: -> 2028-05-31T00:00:00Z (signed by ${TLS}/client-ca.crt)`,
      `  renew  ${TLS}/client-admin.crt: -> 2028-05-31T00:00:00Z (signed by ${TLS}/client-ca.crt)`,
      `  renew  ${TLS}/serving-kube-apiserver.crt: -> 2028-05-31T00:00:00Z (signed by ${TLS}/server-ca.crt)`,
    ]);
    assert.equal(run.status, 0);
    for (const [name, ca] of [
      [names[0], 'client-ca'],
      [names[1], 'server-ca'],
      [names[2], 'client-ca'],
    ]) {
      assert.equal(read(root, `${name}${BAK}`), before[name]);
      // The file as the supervisor writes it: the leaf, then its CA's certificate byte for byte.
      const blocks = pemBlocks(read(root, name));
      assert.equal(blocks.length, 2, name);
      assert.equal(blocks[1], read(root, `${TLS}/${ca}.crt`));
      assertRenewed(root, name, `${TLS}/${ca}.crt`, '2028-05-31T00:00:00.000Z');
    }
    assert.equal(read(root, `${TLS}/client-admin.key`), key);
    assert.equal(mode(root, `${TLS}/client-admin.key`), 0o600);
    // admin.kubeconfig names client-admin.crt by path: it still works, and the tree checks clean.
    assertCheckClean(root);
  });

  it('k3s: the re-issuing quick fix (a tls-san the serving certificate lacks) writes leaf + CA for 365 days', async () => {
    const root = k3s.seeded((r) => edit(r, 'etc/rancher/k3s/config.yaml', (t) => t.replace('tls-san:\n', 'tls-san:\n- api.example.com\n')));
    const report = await checkTree(root);
    const fix = report.findings.flatMap((f) => (f.fix?.kind === 'issue-certificate' ? [f.fix] : []))[0];
    const leaf = await applyRancherServingReissue(root, fix, TLS);
    assert.match(new X509Certificate(leaf).subjectAltName ?? '', /DNS:api\.example\.com/);
    const after = await checkTree(root, { now: new Date(NOW) });
    assert.deepEqual(after.findings, []);
  });

  it('kubespray: member/admin/node-<host>.pem signed again with ca-key.pem for 365 days (make-ssl-etcd.sh), no chain appended', () => {
    const root = kubespray.seeded(() => undefined);
    const names = ['member-node1.pem', 'admin-node2.pem', 'node-node1.pem'].map((n) => `${ETCD_SSL}/${n}`);
    const keys = names.map((n) => read(root, n.replace(/\.pem$/, '-key.pem')));
    const run = runCli(['renew', root, ...names, '--now', NOW]);
    assert.equal(run.stderr, '');
    assert.deepEqual(
      renewLines(run.stdout),
      [...names].sort().map((n) => `  renew  ${n}: -> 2028-05-31T00:00:00Z (signed by ${ETCD_SSL}/ca.pem)`),
    );
    assert.equal(run.status, 0);
    names.forEach((name, i) => {
      assert.equal(pemBlocks(read(root, name)).length, 1);
      assert.ok(existsSync(join(root, `${name}${BAK}`)));
      assertRenewed(root, name, `${ETCD_SSL}/ca.pem`, '2028-05-31T00:00:00.000Z');
      const keyFile = name.replace(/\.pem$/, '-key.pem');
      assert.equal(read(root, keyFile), keys[i]);
      assert.equal(mode(root, keyFile), 0o600);
    });
    assertCheckClean(root);
  });

  it('MicroK8s: server.crt and front-proxy-client.crt for 365 days, the embedded client certificates for 3650 (clamped to ca.crt)', () => {
    const root = microk8s.seeded(() => undefined);
    const certs = `${snapData()}/certs`;
    const caEnd = new Date(new X509Certificate(read(root, `${certs}/ca.crt`)).validTo).toISOString().replace('.000Z', 'Z');
    const names = [`${certs}/server.crt`, `${certs}/front-proxy-client.crt`, `${snapData()}/credentials/client.config`];
    const run = runCli(['renew', root, ...names, '--now', NOW, '--format', 'json']);
    assert.equal(run.stderr, '');
    const json = JSON.parse(run.stdout) as { renewed: Array<{ file: string; field: string | null; newNotAfter: string }> };
    assert.deepEqual(
      json.renewed.map((r) => [r.file, r.field, r.newNotAfter]),
      [
        [`${certs}/front-proxy-client.crt`, null, '2028-05-31T00:00:00Z'],
        [`${certs}/server.crt`, null, '2028-05-31T00:00:00Z'],
        // 3650 days from 2027-06-01 is past the CA's own end: the renewal ends with it.
        [`${snapData()}/credentials/client.config`, 'admin', caEnd],
      ],
    );
    assert.equal(run.status, 0);
    assertRenewed(root, `${certs}/server.crt`, `${certs}/ca.crt`, '2028-05-31T00:00:00.000Z');
    assertRenewed(root, `${certs}/front-proxy-client.crt`, `${certs}/front-proxy-ca.crt`, '2028-05-31T00:00:00.000Z');
    assert.equal(pemBlocks(read(root, `${certs}/server.crt`)).length, 1);
    assert.equal(mode(root, `${certs}/server.key`), 0o600);
    assertCheckClean(root);
  });

  it('package installs: kubeadm’s one year, no chain', () => {
    const root = packages.seeded(() => undefined);
    const run = runCli(['renew', root, `${SRV}/server.crt`, '--now', NOW]);
    assert.deepEqual(renewLines(run.stdout), [`  renew  ${SRV}/server.crt: -> 2028-05-31T00:00:00Z (signed by ${SRV}/ca.crt)`]);
    assert.equal(run.status, 0);
    assert.equal(pemBlocks(read(root, `${SRV}/server.crt`)).length, 1);
    assertRenewed(root, `${SRV}/server.crt`, `${SRV}/ca.crt`, '2028-05-31T00:00:00.000Z');
    assertCheckClean(root);
  });
});
