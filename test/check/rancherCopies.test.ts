import assert from 'node:assert/strict';
import { cpSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { makeKubeadmNode } from '../support/clusterFixture';
import { missingPeer } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { dataDir, makeRancherServer } from '../support/rancherFixture';
import { findingsOf, fixtureTrees, issue, lineOf, writeKeyFile } from '../support/seed';
import { service } from '../support/service';

const skip = missingPeer('openssl');
// A support bundle: /var/lib/rancher/k3s copied as k3s-node1, kubeconfigs still naming /var/lib/rancher/k3s/server/tls/...
const DATA = 'k3s-node1';
const TLS = `${DATA}/server/tls`;
const CRED = `${DATA}/server/cred`;
const CLIENT = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth'];

/** A k3s server's data dir alone, under another name. */
function makeBundle(root: string, into = DATA): void {
  const node = join(root, 'node');
  makeRancherServer(node);
  renameSync(join(node, dataDir('k3s')), join(root, into));
  rmSync(node, { recursive: true, force: true });
}

/** Re-issues a leaf of the copied server/tls, the CA appended as the supervisor writes it. */
function reissue(root: string, tls: string, name: string, signer: string, subject: string, extensions: string[], dates = {}): void {
  const pair = issue(root, { cert: `${tls}/${signer}.crt`, key: `${tls}/${signer}.key` }, subject, extensions, dates);
  writeFileSync(join(root, tls, `${name}.crt`), pair.cert + readFileSync(join(root, tls, `${signer}.crt`), 'utf8'));
  writeKeyFile(root, `${tls}/${name}.key`, pair.key);
}

describeNeeding('k3s recognised by its content: a data dir copied under another name (k3s-node1/server/tls)', skip, () => {
  const trees = fixtureTrees((root) => makeBundle(root));
  const seeded = trees.seeded;

  it('finds nothing wrong with the clean copy, read as one k3s node', async () => {
    const report = await service.checkTree(trees.clean());
    assert.deepEqual(report.findings, []);
    assert.equal(report.nodes, 1);
  });

  it("kube-pki expiry lists the copy's files by the supervisor's names", async () => {
    const table = await service.expiry(trees.clean());
    const roles = (rows: typeof table.certificates) => rows.map((r) => `${r.role} ${r.ca ?? '-'} ${r.referenced ? 'used' : 'unused'}`).sort();
    assert.deepEqual(roles(table.authorities), [
      'client-ca - used',
      'etcd-peer-ca - used',
      'etcd-server-ca - used',
      'request-header-ca - used',
      'server-ca - used',
    ]);
    assert.deepEqual(roles(table.certificates), [
      'agent client-k3s-controller client-ca used',
      'agent client-kube-proxy client-ca used',
      'agent client-kubelet client-ca used',
      'agent serving-kubelet server-ca used',
      'client-admin client-ca used',
      'client-auth-proxy request-header-ca used',
      'client-controller client-ca used',
      'client-k3s-cloud-controller client-ca used',
      'client-k3s-controller client-ca unused',
      'client-kube-apiserver client-ca used',
      'client-kube-proxy client-ca unused',
      'client-scheduler client-ca used',
      'client-supervisor client-ca used',
      'etcd-client etcd-server-ca used',
      'etcd-peer-server-client etcd-peer-ca used',
      'etcd-server-client etcd-server-ca used',
      'serving-kube-apiserver server-ca used',
    ]);
  });

  it('cert-expired: an expired client-controller.crt, on the copy’s controller.kubeconfig line that names it by its node path', async () => {
    const dates = { startDate: '20230101000000Z', endDate: '20240101000000Z' };
    const root = seeded((r) => reissue(r, TLS, 'client-controller', 'client-ca', '/CN=system:kube-controller-manager', CLIENT, dates));
    const kubeconfig = `${CRED}/controller.kubeconfig`;
    assert.deepEqual(await findingsOf(root), [['cert-expired', kubeconfig, lineOf(root, kubeconfig, 'client-certificate:')]]);
  });

  it("identity-mismatch: client-kube-apiserver.crt without system:masters, on api-server.kubeconfig (a user known by the copy's layout)", async () => {
    const root = seeded((r) => reissue(r, TLS, 'client-kube-apiserver', 'client-ca', '/CN=system:apiserver', CLIENT));
    const kubeconfig = `${CRED}/api-server.kubeconfig`;
    assert.deepEqual(await findingsOf(root), [['identity-mismatch', kubeconfig, lineOf(root, kubeconfig, 'client-certificate:')]]);
  });

  it('san-missing: the serving certificate without kubernetes.default.svc, on the certificate (the table expects it)', async () => {
    const sans = 'subjectAltName=DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:127.0.0.1,IP:10.43.0.1';
    const serving = [...CLIENT.slice(0, 2), 'extendedKeyUsage=serverAuth', sans];
    const root = seeded((r) => reissue(r, TLS, 'serving-kube-apiserver', 'server-ca', '/CN=kube-apiserver', serving));
    assert.deepEqual(await findingsOf(root), [['san-missing', `${TLS}/serving-kube-apiserver.crt`, 1]]);
  });

  it('ca-mismatch: client-scheduler.crt signed by the server CA, on scheduler.kubeconfig', async () => {
    const root = seeded((r) => reissue(r, TLS, 'client-scheduler', 'server-ca', '/CN=system:kube-scheduler', CLIENT));
    const kubeconfig = `${CRED}/scheduler.kubeconfig`;
    assert.deepEqual(await findingsOf(root), [['ca-mismatch', kubeconfig, lineOf(root, kubeconfig, 'client-certificate:')]]);
  });
});

describeNeeding('k3s recognised by its content: the server/tls folder alone, copied as backup/tls', skip, () => {
  const trees = fixtureTrees((root) => {
    makeBundle(root, 'bundle');
    cpSync(join(root, 'bundle/server/tls'), join(root, 'backup/tls'), { recursive: true });
    rmSync(join(root, 'bundle'), { recursive: true, force: true });
  });

  it('finds nothing wrong with the clean folder; an expired serving certificate is found on its first line', async () => {
    assert.deepEqual((await service.checkTree(trees.clean())).findings, []);
    const serving = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth'];
    const sans = 'subjectAltName=DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.43.0.1';
    const dates = { startDate: '20230101000000Z', endDate: '20240101000000Z' };
    const root = trees.seeded((r) => reissue(r, 'backup/tls', 'serving-kube-apiserver', 'server-ca', '/CN=kube-apiserver', [...serving, sans], dates));
    assert.deepEqual(await findingsOf(root), [['cert-expired', 'backup/tls/serving-kube-apiserver.crt', 1]]);
    const table = await service.expiry(root);
    assert.equal(table.certificates.find((r) => r.file.endsWith('/serving-kube-apiserver.crt'))?.role, 'serving-kube-apiserver');
  });
});

describeNeeding('a kubeadm tree with files that happen to be named client-ca.crt and server-ca.crt is not taken for k3s', skip, () => {
  const ca = { cert: 'etc/kubernetes/pki/ca.crt', key: 'etc/kubernetes/pki/ca.key' };
  const caExts = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'];
  const trees = fixtureTrees((root) => {
    makeKubeadmNode(root);
    for (const name of ['client-ca', 'server-ca']) {
      const pair = issue(root, ca, `/CN=${name}`, caExts);
      writeFileSync(join(root, `etc/kubernetes/pki/${name}.crt`), pair.cert);
    }
  });

  it('checks clean as one kubeadm node; the two files are listed by their names, unused', async () => {
    const report = await service.checkTree(trees.clean());
    assert.deepEqual(report.findings, []);
    assert.equal(report.nodes, 1);
    const table = await service.expiry(trees.clean());
    assert.deepEqual(
      table.authorities
        .filter((r) => !r.referenced)
        .map((r) => r.role)
        .sort(),
      ['client-ca.crt', 'server-ca.crt'],
    );
  });
});
