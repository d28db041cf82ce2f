import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { leafExtensions } from '../support/fixtureParts';
import { missingPeer } from '../support/openssl';
import { ETCD_DIR, makePackageInstallNode, SRV } from '../support/packageInstallFixture';
import { describeNeeding } from '../support/paths';
import { findingsOf, fixtureTrees, issue, lineOf, writeKeyFile } from '../support/seed';
import { service } from '../support/service';

const skip = missingPeer('openssl');
const CA = { cert: `${SRV}/ca.crt`, key: `${SRV}/ca.key` };
const APISERVER = 'etc/kubernetes/apiserver';

/** Re-issues /srv/kubernetes/<name>.crt and .key. */
function reissue(root: string, name: string, subject: string, extensions: string[], options: { ca?: typeof CA; startDate?: string; endDate?: string } = {}) {
  const pair = issue(root, options.ca ?? CA, subject, extensions, options);
  writeFileSync(join(root, SRV, `${name}.crt`), pair.cert);
  writeKeyFile(root, `${SRV}/${name}.key`, pair.key);
}

/** Where a flag's value starts on its line of an env file: findings land on the value, not the variable. */
function column(root: string, file: string, flag: string): number {
  const line = readFileSync(join(root, file), 'utf8').split('\n')[lineOf(root, file, flag) - 1];
  return line.indexOf(flag) + flag.length;
}

describeNeeding('kube-pki check on a package-installed node (/etc/kubernetes/<component> env files, /srv/kubernetes)', skip, () => {
  const trees = fixtureTrees((root) => makePackageInstallNode(root));
  const seeded = trees.seeded;

  it('finds nothing wrong with the clean layout: every file the env files name is read and checked', async () => {
    const report = await service.checkTree(trees.clean());
    assert.deepEqual(report.findings, []);
    assert.equal(report.nodes, 1);
    assert.equal(report.configFiles, 13);
  });

  it('kube-pki expiry lists every certificate the env files and kubeconfigs name, by role, none unreferenced', async () => {
    const table = await service.expiry(trees.clean());
    const clean = trees.clean();
    assert.deepEqual(
      [...table.authorities, ...table.certificates].map((r) => `${r.role} ${r.file.slice(clean.length + 1)} ${r.referenced ? 'used' : 'unused'}`).sort(),
      [
        `apiserver ${SRV}/server.crt used`,
        `apiserver-etcd-client ${SRV}/etcd-client.crt used`,
        `apiserver-kubelet-client ${SRV}/apiserver-kubelet-client.crt used`,
        `ca ${SRV}/ca.crt used`,
        `controller-manager.kubeconfig client ${SRV}/controller-manager.crt used`,
        `etcd peer ${ETCD_DIR}/peer.crt used`,
        `etcd server ${ETCD_DIR}/server.crt used`,
        `etcd-ca ${ETCD_DIR}/ca.crt used`,
        `kube-proxy.kubeconfig client ${SRV}/kube-proxy.crt used`,
        `kubelet serving ${SRV}/kubelet.crt used`,
        `kubelet.kubeconfig client ${SRV}/kubelet-client.crt used`,
        `scheduler.kubeconfig client ${SRV}/scheduler.crt used`,
      ],
    );
  });

  it('cert-expired: an expired scheduler.crt, on scheduler.kubeconfig', async () => {
    const root = seeded((r) =>
      reissue(r, 'scheduler', '/CN=system:kube-scheduler', leafExtensions('clientAuth'), { startDate: '20230101000000Z', endDate: '20240101000000Z' }),
    );
    const file = 'etc/kubernetes/scheduler.kubeconfig';
    assert.deepEqual(await findingsOf(root), [['cert-expired', file, lineOf(root, file, 'client-certificate:')]]);
  });

  it("san-missing: server.crt without kubernetes.default.svc, on KUBE_API_ARGS's --tls-cert-file value", async () => {
    const sans = 'DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc.cluster.local,DNS:node-a,IP:10.254.0.1,IP:192.168.10.30,IP:127.0.0.1';
    const root = seeded((r) => reissue(r, 'server', '/CN=node-a', leafExtensions('serverAuth', [sans])));
    const report = await service.checkTree(root);
    assert.deepEqual(
      report.findings.map((f) => [f.code, f.file.slice(root.length + 1), f.range.start.line + 1, f.range.start.character]),
      [['san-missing', APISERVER, lineOf(root, APISERVER, 'KUBE_API_ARGS='), column(root, APISERVER, '--tls-cert-file=')]],
    );
    assert.match(report.findings[0].message, /kubernetes\.default\.svc\b/);
  });

  it("ca-mismatch: the API server's etcd client signed by the Kubernetes CA, which etcd's ETCD_TRUSTED_CA_FILE does not trust", async () => {
    const root = seeded((r) => reissue(r, 'etcd-client', '/CN=kube-apiserver-etcd-client', leafExtensions('clientAuth')));
    assert.deepEqual(await findingsOf(root), [['ca-mismatch', APISERVER, lineOf(root, APISERVER, 'KUBE_API_ARGS=')]]);
    assert.match((await service.checkTree(root)).findings[0].message, /from ETCD_TRUSTED_CA_FILE in etcd\.conf/);
  });

  it("key-mismatch: a server.key that is not server.crt's key, on --tls-private-key-file's value", async () => {
    const root = seeded((r) => writeKeyFile(r, `${SRV}/server.key`, issue(r, CA, '/CN=other', leafExtensions('clientAuth')).key));
    const report = await service.checkTree(root);
    assert.deepEqual(
      report.findings.map((f) => [f.code, f.file.slice(root.length + 1), f.range.start.line + 1, f.range.start.character]),
      [['key-mismatch', APISERVER, lineOf(root, APISERVER, 'KUBE_API_ARGS='), column(root, APISERVER, '--tls-private-key-file=')]],
    );
  });

  it("identity-mismatch: controller-manager.crt with the scheduler's CN, on controller-manager.kubeconfig", async () => {
    const root = seeded((r) => reissue(r, 'controller-manager', '/CN=system:kube-scheduler', leafExtensions('clientAuth')));
    const file = 'etc/kubernetes/controller-manager.kubeconfig';
    assert.deepEqual(await findingsOf(root), [['identity-mismatch', file, lineOf(root, file, 'client-certificate:')]]);
  });
});
