import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { cpSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { checkTree } from '../../server/src/engine/run/runCheck';
import { runCli } from '../support/cli';
import { missingPeer } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { dataDir, makeRancherServer, RancherProgram } from '../support/rancherFixture';
import {
  applyRancherServingReissue,
  assertCheckClean,
  assertRenewedCert,
  assertVerifies,
  pemBlocks,
  RENEW_BAK,
  RENEW_NOW,
  readRel,
} from '../support/renewAssertions';
import { fixtureTrees, issue, writeKeyFile } from '../support/seed';

// k3s/RKE2 trees the check recognises by their content (rancherCopies.ts), away from /var/lib/rancher: renew and the
// re-issuing quick fixes must issue as the supervisor does there too (the CA after the leaf), not as kubeadm.
const NOW = RENEW_NOW;
const BAK = RENEW_BAK;
const TLS = 'k3s-node1/server/tls';
const skip = missingPeer('openssl');

const read = readRel;
/** The CLI's output with the old notAfter (the fixture's day of making) left out. */
const withoutOldDates = (stdout: string) => stdout.replace(/: \d{4}-\d\d-\d\dT[\d:]+Z -> /g, ': -> ');

/** A server's data dir alone, under another name (a support bundle's k3s-node1). */
function makeBundle(root: string, program: RancherProgram = 'k3s'): void {
  const node = join(root, 'node');
  makeRancherServer(node, { program });
  renameSync(join(node, dataDir(program)), join(root, 'k3s-node1'));
  rmSync(node, { recursive: true, force: true });
}

/** The file as the supervisor writes it: a renewed leaf (same key, 365 days, openssl verifies it), then its CA byte for byte. */
function assertRenewedWithChain(root: string, rel: string, ca: string): void {
  const blocks = pemBlocks(read(root, rel));
  assert.equal(blocks.length, 2, `${rel}: leaf + CA`);
  assert.equal(blocks[1], read(root, ca));
  assertRenewedCert(root, rel, blocks[0], ca, '2028-05-31T00:00:00.000Z');
}

describeNeeding('kube-pki renew on a k3s/RKE2 tree recognised by its content (a support bundle, a copied tls folder)', skip, () => {
  const bundle = fixtureTrees((root) => makeBundle(root));
  const rke2 = fixtureTrees((root) => makeBundle(root, 'rke2'));

  it('k3s-node1/server/tls: leaf + CA for 365 days, signed by the CA whose key is there; restart k3s; keys untouched, check clean', () => {
    const root = bundle.seeded(() => undefined);
    const key = read(root, `${TLS}/client-admin.key`);
    const run = runCli(['renew', root, `${TLS}/client-admin.crt`, `${TLS}/serving-kube-apiserver.crt`, '--now', NOW]);
    assert.equal(run.stderr, '');
    assert.equal(
      withoutOldDates(run.stdout),
      [
        'kube-pki renew: 2 to renew, 0 skipped',
        `  renew  ${TLS}/client-admin.crt: -> 2028-05-31T00:00:00Z (signed by ${TLS}/client-ca.crt)`,
        `  renew  ${TLS}/serving-kube-apiserver.crt: -> 2028-05-31T00:00:00Z (signed by ${TLS}/server-ca.crt)`,
        `  wrote  ${TLS}/client-admin.crt (kept ${TLS}/client-admin.crt${BAK})`,
        `  wrote  ${TLS}/serving-kube-apiserver.crt (kept ${TLS}/serving-kube-apiserver.crt${BAK})`,
        // The API server runs in the k3s process: restarting the service loads the new files.
        'Restart to load the new files: k3s',
        '',
      ].join('\n'),
    );
    assert.equal(run.status, 0);
    assertRenewedWithChain(root, `${TLS}/client-admin.crt`, `${TLS}/client-ca.crt`);
    assertRenewedWithChain(root, `${TLS}/serving-kube-apiserver.crt`, `${TLS}/server-ca.crt`);
    assert.equal(read(root, `${TLS}/client-admin.key`), key);
    assertCheckClean(root);
  });

  it('the JSON restart list names the service too', () => {
    const root = bundle.seeded(() => undefined);
    const run = runCli(['renew', root, `${TLS}/serving-kube-apiserver.crt`, '--now', NOW, '--format', 'json', '--dry-run']);
    assert.deepEqual((JSON.parse(run.stdout) as { restart: string[] }).restart, ['k3s']);
  });

  it('backup/tls (the tls folder copied alone): client-admin.crt is found by its place in the copy and renewed with its CA', () => {
    const root = bundle.seeded((r) => {
      cpSync(join(r, TLS), join(r, 'backup/tls'), { recursive: true });
      rmSync(join(r, 'k3s-node1'), { recursive: true, force: true });
    });
    const run = runCli(['renew', root, 'backup/tls/client-admin.crt', '--now', NOW]);
    assert.equal(run.stderr, '');
    assert.deepEqual(withoutOldDates(run.stdout).split('\n').slice(0, 2), [
      'kube-pki renew: 1 to renew, 0 skipped',
      '  renew  backup/tls/client-admin.crt: -> 2028-05-31T00:00:00Z (signed by backup/tls/client-ca.crt)',
    ]);
    assert.equal(run.status, 0);
    assertRenewedWithChain(root, 'backup/tls/client-admin.crt', 'backup/tls/client-ca.crt');
    assertCheckClean(root);
  });

  it('RKE2 copied as k3s-node1: the restart list says rke2-server', () => {
    const root = rke2.seeded(() => undefined);
    const run = runCli(['renew', root, `${TLS}/serving-kube-apiserver.crt`, '--now', NOW]);
    assert.equal(run.status, 0);
    assert.equal(run.stdout.split('\n').at(-2), 'Restart to load the new files: rke2-server');
    assertRenewedWithChain(root, `${TLS}/serving-kube-apiserver.crt`, `${TLS}/server-ca.crt`);
  });

  it('the re-issuing quick fix (san-missing on the copied serving certificate) writes leaf + CA for 365 days; check clean after', async () => {
    const root = bundle.seeded((r) => {
      const sans = 'subjectAltName=DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:127.0.0.1,IP:10.43.0.1';
      const exts = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth', sans];
      const pair = issue(r, { cert: `${TLS}/server-ca.crt`, key: `${TLS}/server-ca.key` }, '/CN=kube-apiserver', exts);
      writeFileSync(join(r, TLS, 'serving-kube-apiserver.crt'), pair.cert + read(r, `${TLS}/server-ca.crt`));
      writeKeyFile(r, `${TLS}/serving-kube-apiserver.key`, pair.key);
    });
    const report = await checkTree(root, { now: new Date(NOW) });
    assert.deepEqual(
      report.findings.map((f) => f.code),
      ['san-missing'],
    );
    const leaf = await applyRancherServingReissue(root, report.findings[0].fix, TLS);
    assertVerifies(root, `${TLS}/serving-kube-apiserver.crt`, `${TLS}/server-ca.crt`);
    assert.match(new X509Certificate(leaf).subjectAltName ?? '', /DNS:kubernetes\.default\.svc(,|$)/);
    assert.deepEqual((await checkTree(root, { now: new Date(NOW) })).findings, []);
  });
});

describeNeeding('kube-pki renew on k3s at its canonical place: the restart list names the node’s service', skip, () => {
  const agent = `agent-1/${dataDir('k3s')}/agent`;
  const trees = fixtureTrees((root) =>
    makeRancherServer(join(root, 'server-1'), { agents: [{ root: join(root, 'agent-1'), nodeName: 'agent-1', nodeIp: '192.168.10.21' }] }),
  );

  it('a server’s serving certificate: k3s; an agent-only node’s kubelet serving certificate: k3s-agent', () => {
    const root = trees.seeded(() => undefined);
    const server = runCli(['renew', root, `server-1/${dataDir('k3s')}/server/tls/serving-kube-apiserver.crt`, '--now', NOW]);
    assert.equal(server.status, 0);
    assert.equal(server.stdout.split('\n').at(-2), 'Restart to load the new files: k3s');
    const onAgent = runCli(['renew', root, `${agent}/serving-kubelet.crt`, '--now', NOW]);
    assert.equal(onAgent.stderr, '');
    assert.equal(onAgent.status, 0);
    assert.equal(onAgent.stdout.split('\n').at(-2), 'Restart to load the new files: k3s-agent');
  });

  // The agent loads these through its kubeconfigs (kubelet.kubeconfig, kubeproxy.kubeconfig, k3scontroller.kubeconfig).
  it('the client certificates a node loads through its kubeconfigs: k3s-agent on an agent, k3s on a server (before: no restart)', () => {
    for (const [node, name, service] of [
      ['agent-1', 'client-kubelet.crt', 'k3s-agent'],
      ['agent-1', 'client-kube-proxy.crt', 'k3s-agent'],
      ['agent-1', 'client-k3s-controller.crt', 'k3s-agent'],
      ['server-1', 'client-kubelet.crt', 'k3s'],
    ]) {
      const root = trees.seeded(() => undefined);
      const run = runCli(['renew', root, `${node}/${dataDir('k3s')}/agent/${name}`, '--now', NOW]);
      assert.equal(run.stderr, '');
      assert.equal(run.status, 0);
      assert.equal(run.stdout.split('\n').at(-2), `Restart to load the new files: ${service}`, `${node} ${name}`);
    }
  });
});
