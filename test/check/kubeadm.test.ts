import assert from 'node:assert/strict';
import { chmodSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { makeKubeadmNode } from '../support/clusterFixture';
import { missingPeer } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { edit, findingsOf, fixtureTrees, issue, lineOf, replaceKubeconfigUser, writeKeyFile } from '../support/seed';
import { service } from '../support/service';

const skip = missingPeer('openssl');
const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const CM = 'etc/kubernetes/manifests/kube-controller-manager.yaml';
const CA = { cert: 'etc/kubernetes/pki/ca.crt', key: 'etc/kubernetes/pki/ca.key' };
const FRONT_CA = { cert: 'etc/kubernetes/pki/front-proxy-ca.crt', key: 'etc/kubernetes/pki/front-proxy-ca.key' };
const ETCD_CA = { cert: 'etc/kubernetes/pki/etcd/ca.crt', key: 'etc/kubernetes/pki/etcd/ca.key' };

describeNeeding('kube-pki check on a kubeadm-shaped node', skip, () => {
  const trees = fixtureTrees((root) => makeKubeadmNode(root));
  const seeded = trees.seeded;

  it('finds nothing wrong with a stock kubeadm node', async () => {
    const report = await service.checkTree(trees.clean());
    assert.deepEqual(report.findings, []);
    assert.equal(report.configFiles, 11, 'four static pods, five kubeconfigs, the kubelet config and kubeadm-flags.env');
    assert.equal(report.nodes, 1);
  });

  it('file-not-found: on the flag that names the missing file', async () => {
    const root = seeded((r) => unlinkSync(join(r, 'etc/kubernetes/pki/apiserver-kubelet-client.crt')));
    assert.deepEqual(await findingsOf(root), [['file-not-found', APISERVER, lineOf(root, APISERVER, '--kubelet-client-certificate=')]]);
  });

  it('path-not-mounted: a path outside every volumeMount (pki-etcd is not under pki)', async () => {
    const root = seeded((r) =>
      edit(r, APISERVER, (t) => t.replace('--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt', '--etcd-cafile=/etc/kubernetes/pki-etcd/ca.crt')),
    );
    assert.deepEqual(await findingsOf(root), [['path-not-mounted', APISERVER, lineOf(root, APISERVER, '--etcd-cafile=')]]);
  });

  it('pem-invalid: a truncated certificate file, and garbage inline data in a kubeconfig', async () => {
    const root = seeded((r) => {
      edit(r, 'etc/kubernetes/pki/front-proxy-client.crt', (t) => t.split('\n').slice(0, 5).join('\n') + '\n-----END CERTIFICATE-----\n');
      edit(r, 'etc/kubernetes/scheduler.conf', (t) => t.replace(/client-key-data: \S+/, 'client-key-data: bm90IGEga2V5Cg=='));
    });
    assert.deepEqual(await findingsOf(root), [
      ['pem-invalid', APISERVER, lineOf(root, APISERVER, '--proxy-client-cert-file=')],
      ['pem-invalid', 'etc/kubernetes/scheduler.conf', lineOf(root, 'etc/kubernetes/scheduler.conf', 'client-key-data:')],
    ]);
  });

  it('cert-expired, cert-not-yet-valid and cert-expiring-soon, each on its flag', async () => {
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
    const root = seeded((r) => {
      const expired = issue(r, ETCD_CA, '/CN=kube-apiserver-etcd-client', ['extendedKeyUsage=clientAuth'], {
        startDate: '20200101000000Z',
        endDate: '20210101000000Z',
      });
      writeKeyFile(r, 'etc/kubernetes/pki/apiserver-etcd-client.crt', expired.cert);
      writeKeyFile(r, 'etc/kubernetes/pki/apiserver-etcd-client.key', expired.key);
      const future = issue(r, FRONT_CA, '/CN=front-proxy-client', ['extendedKeyUsage=clientAuth'], {
        startDate: '20990101000000Z',
        endDate: '20991231000000Z',
      });
      writeKeyFile(r, 'etc/kubernetes/pki/front-proxy-client.crt', future.cert);
      writeKeyFile(r, 'etc/kubernetes/pki/front-proxy-client.key', future.key);
      const expiring = issue(r, CA, '/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client', ['extendedKeyUsage=clientAuth'], {
        startDate: '20240101000000Z',
        endDate: soon,
      });
      writeKeyFile(r, 'etc/kubernetes/pki/apiserver-kubelet-client.crt', expiring.cert);
      writeKeyFile(r, 'etc/kubernetes/pki/apiserver-kubelet-client.key', expiring.key);
    });
    assert.deepEqual(await findingsOf(root), [
      ['cert-expired', APISERVER, lineOf(root, APISERVER, '--etcd-certfile=')],
      ['cert-expiring-soon', APISERVER, lineOf(root, APISERVER, '--kubelet-client-certificate=')],
      ['cert-not-yet-valid', APISERVER, lineOf(root, APISERVER, '--proxy-client-cert-file=')],
    ]);
  });

  it('ca-mismatch: a kubeconfig user signed by the wrong CA', async () => {
    const root = seeded((r) => {
      const wrong = issue(r, FRONT_CA, '/O=kubeadm:cluster-admins/CN=kubernetes-admin', ['extendedKeyUsage=clientAuth']);
      replaceKubeconfigUser(r, 'etc/kubernetes/admin.conf', wrong);
    });
    assert.deepEqual(await findingsOf(root), [
      ['ca-mismatch', 'etc/kubernetes/admin.conf', lineOf(root, 'etc/kubernetes/admin.conf', 'client-certificate-data:')],
    ]);
  });

  it('ca-mismatch: the apiserver verifies etcd with the wrong CA', async () => {
    const root = seeded((r) =>
      edit(r, APISERVER, (t) => t.replace('--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt', '--etcd-cafile=/etc/kubernetes/pki/ca.crt')),
    );
    assert.deepEqual(await findingsOf(root), [['ca-mismatch', APISERVER, lineOf(root, APISERVER, '--etcd-cafile=')]]);
  });

  it("ca-mismatch: --kubelet-certificate-authority against the kubelet's self-signed default cert", async () => {
    // kube-bench advises setting it; with kubeadm's default kubelet serving cert, logs and exec then fail.
    const root = seeded((r) =>
      edit(r, APISERVER, (t) =>
        t.replace('    - --kubelet-client-key=', '    - --kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt\n    - --kubelet-client-key='),
      ),
    );
    const report = await service.checkTree(root);
    assert.deepEqual(
      report.findings.map((f) => [f.code, f.file.slice(root.length + 1), f.range.start.line + 1]),
      [['ca-mismatch', APISERVER, lineOf(root, APISERVER, '--kubelet-certificate-authority=')]],
    );
    assert.match(
      report.findings[0].message,
      /^kubelet\.crt \(from tlsCertFile \(default \/var\/lib\/kubelet\/pki\/kubelet\.crt\) in config\.yaml\) is not signed by ca\.crt \(from --kubelet-certificate-authority in kube-apiserver\.yaml\), so the API server rejects the kubelet: /,
    );
  });

  it('key-mismatch: a cert/key flag pair, and the service-account key halves', async () => {
    const root = seeded((r) => {
      writeKeyFile(r, 'etc/kubernetes/pki/apiserver.key', issue(r, CA, '/CN=other', []).key);
      writeKeyFile(r, 'etc/kubernetes/pki/sa.key', issue(r, CA, '/CN=other', []).key);
    });
    assert.deepEqual(await findingsOf(root), [
      ['key-mismatch', APISERVER, lineOf(root, APISERVER, '--service-account-signing-key-file=')],
      ['key-mismatch', APISERVER, lineOf(root, APISERVER, '--tls-private-key-file=')],
      ['key-mismatch', CM, lineOf(root, CM, '--service-account-private-key-file=')],
    ]);
  });

  it('san-missing: a new --advertise-address the serving cert lacks', async () => {
    const root = seeded((r) => edit(r, APISERVER, (t) => t.replace('--advertise-address=192.168.10.10', '--advertise-address=192.168.10.99')));
    const findings = await findingsOf(root);
    assert.deepEqual(findings, [['san-missing', APISERVER, lineOf(root, APISERVER, '--tls-cert-file=')]]);
    const report = await service.checkTree(root);
    assert.equal(report.findings[0].message, 'apiserver.crt (from --tls-cert-file in kube-apiserver.yaml) has no SAN 192.168.10.99, the --advertise-address');
  });

  it('eku-missing, weak-key and key-permissions on the front proxy client', async () => {
    const root = seeded((r) => {
      const bad = issue(r, FRONT_CA, '/CN=front-proxy-client', ['extendedKeyUsage=serverAuth'], { bits: 1024 });
      writeKeyFile(r, 'etc/kubernetes/pki/front-proxy-client.crt', bad.cert);
      writeKeyFile(r, 'etc/kubernetes/pki/front-proxy-client.key', bad.key);
      chmodSync(join(r, 'etc/kubernetes/pki/front-proxy-client.key'), 0o644);
    });
    assert.deepEqual(await findingsOf(root), [
      ['eku-missing', APISERVER, lineOf(root, APISERVER, '--proxy-client-cert-file=')],
      ['weak-key', APISERVER, lineOf(root, APISERVER, '--proxy-client-cert-file=')],
      ['key-permissions', APISERVER, lineOf(root, APISERVER, '--proxy-client-key-file=')],
    ]);
  });

  it('not-a-ca: a leaf used as --requestheader-client-ca-file', async () => {
    const root = seeded((r) =>
      edit(r, APISERVER, (t) =>
        t.replace(
          '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
          '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-client.crt',
        ),
      ),
    );
    assert.deepEqual(await findingsOf(root), [['not-a-ca', APISERVER, lineOf(root, APISERVER, '--requestheader-client-ca-file=')]]);
  });

  it('identity-mismatch: the scheduler kubeconfig with a misspelt CN, the kubelet with the wrong node', async () => {
    const root = seeded((r) => {
      const typo = issue(r, CA, '/CN=system:system:kube-scheduler', ['extendedKeyUsage=clientAuth']);
      replaceKubeconfigUser(r, 'etc/kubernetes/scheduler.conf', typo);
      edit(r, 'etc/hostname', () => 'cp-2\n');
    });
    const findings = await findingsOf(root);
    assert.deepEqual(findings, [
      ['identity-mismatch', 'etc/kubernetes/kubelet.conf', lineOf(root, 'etc/kubernetes/kubelet.conf', 'client-certificate:')],
      ['identity-mismatch', 'etc/kubernetes/scheduler.conf', lineOf(root, 'etc/kubernetes/scheduler.conf', 'client-certificate-data:')],
    ]);
  });

  it('identity-mismatch: the node name from --hostname-override in kubeadm-flags.env', async () => {
    const root = seeded((r) =>
      edit(r, 'var/lib/kubelet/kubeadm-flags.env', (t) => t.replace('KUBELET_KUBEADM_ARGS="', 'KUBELET_KUBEADM_ARGS="--hostname-override=cp-9 ')),
    );
    const report = await service.checkTree(root);
    assert.deepEqual(
      report.findings.map((f) => [f.code, f.file.slice(root.length + 1)]),
      [['identity-mismatch', 'etc/kubernetes/kubelet.conf']],
    );
    assert.match(report.findings[0].message, /CN is "system:node:cp-1", not "system:node:cp-9"/);
  });

  it('kubeconfig-ref and yaml-invalid', async () => {
    const root = seeded((r) => {
      edit(r, 'etc/kubernetes/admin.conf', (t) => t.replace(/current-context: .*/, 'current-context: nope'));
      edit(r, 'var/lib/kubelet/config.yaml', (t) => `${t}bad: [unclosed\n`);
    });
    const findings = await findingsOf(root);
    assert.deepEqual(
      findings.map(([code, file]) => [code, file]),
      [
        ['kubeconfig-ref', 'etc/kubernetes/admin.conf'],
        ['yaml-invalid', 'var/lib/kubelet/config.yaml'],
      ],
    );
    assert.equal(findings[0][2], lineOf(root, 'etc/kubernetes/admin.conf', 'current-context: nope'));
  });

  it('reports the exact range of the value inside the flag', async () => {
    const root = seeded((r) => unlinkSync(join(r, 'etc/kubernetes/pki/apiserver-kubelet-client.crt')));
    const [finding] = (await service.checkTree(root)).findings;
    const line = lineOf(root, APISERVER, '--kubelet-client-certificate=') - 1;
    const column = '    - --kubelet-client-certificate='.length;
    assert.deepEqual(finding.range, {
      start: { line, character: column },
      end: { line, character: column + '/etc/kubernetes/pki/apiserver-kubelet-client.crt'.length },
    });
  });
});
