import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { ETCD_SSL, KUBE_SSL, KUBESPRAY_HOSTS, makeKubesprayNode, sslClientExtensions } from '../support/kubesprayFixture';
import { missingPeer } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { findingsOf, fixtureTrees, issue, lineOf, replaceKubeconfigUser, writeKeyFile } from '../support/seed';
import { service } from '../support/service';

const skip = missingPeer('openssl');
const ETCD_CA = { cert: `${ETCD_SSL}/ca.pem`, key: `${ETCD_SSL}/ca-key.pem` };
const KUBE_CA = { cert: `${KUBE_SSL}/ca.crt`, key: `${KUBE_SSL}/ca.key` };
const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const ETCD_ENV = 'etc/etcd.env';

/** Re-issues an etcd file of /etc/ssl/etcd/ssl (<name>.pem, <name>-key.pem) as make-ssl-etcd.sh would, from `ca`. */
function reissue(
  root: string,
  name: string,
  subject: string,
  extensions: string[],
  options: { ca?: typeof ETCD_CA; startDate?: string; endDate?: string } = {},
) {
  const pair = issue(root, options.ca ?? ETCD_CA, subject, extensions, options);
  writeFileSync(join(root, ETCD_SSL, `${name}.pem`), pair.cert);
  writeKeyFile(root, `${ETCD_SSL}/${name}-key.pem`, pair.key);
}

describeNeeding('kube-pki check on a kubespray node (/etc/kubernetes/ssl, /etc/ssl/etcd/ssl, /etc/etcd.env)', skip, () => {
  const trees = fixtureTrees((root) => makeKubesprayNode(root));
  const seeded = trees.seeded;

  it('finds nothing wrong with the clean layout: ca.pem/ca-key.pem, per-host member, admin and node certificates, etcd run from etcd.env', async () => {
    const report = await service.checkTree(trees.clean());
    assert.deepEqual(report.findings, []);
    assert.equal(report.nodes, 1);
  });

  it("kube-pki expiry names etcd's files by kubespray's roles, the CA key ca-key.pem found beside ca.pem", async () => {
    const table = await service.expiry(trees.clean());
    const rows = (list: typeof table.certificates) =>
      list
        .filter((r) => r.file.includes(ETCD_SSL))
        .map((r) => `${r.role} ${r.ca ?? '-'} ${r.referenced ? 'used' : 'unused'} ${r.caKeyPresent ? 'key' : 'no-key'}`);
    assert.deepEqual(rows(table.authorities), ['etcd-ca - used key']);
    assert.deepEqual(rows(table.certificates).sort(), [
      'etcd admin node1 etcd-ca unused key',
      'etcd admin node2 etcd-ca unused key',
      'etcd admin node3 etcd-ca unused key',
      'etcd member node1 etcd-ca used key',
      'etcd member node2 etcd-ca unused key',
      'etcd member node3 etcd-ca unused key',
      'etcd node node1 etcd-ca used key',
      'etcd node node2 etcd-ca unused key',
      'etcd node node3 etcd-ca unused key',
    ]);
  });

  it("cert-expired: the API server's expired etcd client node-node1.pem, on the manifest's --etcd-certfile", async () => {
    const root = seeded((r) =>
      reissue(r, 'node-node1', '/CN=etcd-node-node1', sslClientExtensions(KUBESPRAY_HOSTS), { startDate: '20230101000000Z', endDate: '20240101000000Z' }),
    );
    assert.deepEqual(await findingsOf(root), [['cert-expired', APISERVER, lineOf(root, APISERVER, '--etcd-certfile=')]]);
  });

  it("san-missing: member-node1.pem without node1's IP, on etcd.env's ETCD_CERT_FILE and ETCD_PEER_CERT_FILE", async () => {
    const exts = sslClientExtensions(KUBESPRAY_HOSTS).map((e) => e.replace('IP:192.168.10.10,', ''));
    const root = seeded((r) => reissue(r, 'member-node1', '/CN=etcd-member-node1', exts));
    const report = await service.checkTree(root);
    // The value's exact range: after `ETCD_CERT_FILE=`, to the line's end.
    assert.deepEqual(
      report.findings.map((f) => [f.code, f.file.slice(root.length + 1), f.range.start.line + 1, f.range.start.character, f.range.end.character, f.message]),
      [
        [
          'san-missing',
          ETCD_ENV,
          lineOf(root, ETCD_ENV, 'ETCD_CERT_FILE='),
          15,
          15 + '/etc/ssl/etcd/ssl/member-node1.pem'.length,
          'member-node1.pem (from ETCD_CERT_FILE in etcd.env) has no SAN 192.168.10.10, a host of --advertise-client-urls',
        ],
        [
          'san-missing',
          ETCD_ENV,
          lineOf(root, ETCD_ENV, 'ETCD_PEER_CERT_FILE='),
          20,
          20 + '/etc/ssl/etcd/ssl/member-node1.pem'.length,
          'member-node1.pem (from ETCD_PEER_CERT_FILE in etcd.env) has no SAN 192.168.10.10, a host of --initial-advertise-peer-urls',
        ],
      ],
    );
  });

  it("ca-mismatch: node-node1.pem signed by the Kubernetes CA, which etcd's ca.pem does not trust", async () => {
    const root = seeded((r) => reissue(r, 'node-node1', '/CN=etcd-node-node1', sslClientExtensions(KUBESPRAY_HOSTS), { ca: KUBE_CA }));
    assert.deepEqual(await findingsOf(root), [['ca-mismatch', APISERVER, lineOf(root, APISERVER, '--etcd-certfile=')]]);
    assert.match(
      (await service.checkTree(root)).findings[0].message,
      /not signed by ca\.pem \(from ETCD_TRUSTED_CA_FILE in etcd\.env\), so etcd rejects the API server/,
    );
  });

  it("key-mismatch: member-node1-key.pem that is not member-node1.pem's key, on etcd.env", async () => {
    const root = seeded((r) => writeKeyFile(r, `${ETCD_SSL}/member-node1-key.pem`, issue(r, ETCD_CA, '/CN=other', sslClientExtensions(KUBESPRAY_HOSTS)).key));
    assert.deepEqual(await findingsOf(root), [
      ['key-mismatch', ETCD_ENV, lineOf(root, ETCD_ENV, 'ETCD_KEY_FILE=')],
      ['key-mismatch', ETCD_ENV, lineOf(root, ETCD_ENV, 'ETCD_PEER_KEY_FILE=')],
    ]);
  });

  it("identity-mismatch: controller-manager.conf's certificate with the scheduler's CN", async () => {
    const file = 'etc/kubernetes/controller-manager.conf';
    const root = seeded((r) =>
      replaceKubeconfigUser(r, file, issue(r, KUBE_CA, '/CN=system:kube-scheduler', ['basicConstraints=critical,CA:FALSE', 'extendedKeyUsage=clientAuth'])),
    );
    assert.deepEqual(await findingsOf(root), [['identity-mismatch', file, lineOf(root, file, 'client-certificate-data:')]]);
  });
});
