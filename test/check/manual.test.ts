import assert from 'node:assert/strict';
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { makeManualInstallation } from '../support/hardWayFixture';
import { missingPeer, OpensslWorkspace } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { findingsOf, fixtureTrees, issue, lineOf, replaceKubeconfigUser, writeKeyFile } from '../support/seed';
import { service } from '../support/service';

const skip = missingPeer('openssl');
const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const KUBELET = 'var/lib/kubelet/kubelet-config.yaml';
const CA = { cert: 'var/lib/kubernetes/ca.crt', key: 'var/lib/kubernetes/ca.key' };

describeNeeding('kube-pki check on a "manual installation" (the seeds, kubernetes-the-hard-way)', skip, () => {
  const trees = fixtureTrees((root) => makeManualInstallation(root));
  const seeded = trees.seeded;

  it('finds nothing wrong with the clean layout', async () => {
    const report = await service.checkTree(trees.clean());
    assert.deepEqual(report.findings, []);
    assert.equal(report.configFiles, 7);
  });

  it('identity-mismatch: the hard way\'s "system:system:kube-scheduler"', async () => {
    const root = seeded((r) => {
      const typo = issue(r, CA, '/CN=system:system:kube-scheduler', ['extendedKeyUsage=clientAuth']);
      replaceKubeconfigUser(r, 'var/lib/kubernetes/kube-scheduler.kubeconfig', typo);
    });
    assert.deepEqual(await findingsOf(root), [
      [
        'identity-mismatch',
        'var/lib/kubernetes/kube-scheduler.kubeconfig',
        lineOf(root, 'var/lib/kubernetes/kube-scheduler.kubeconfig', 'client-certificate-data:'),
      ],
    ]);
  });

  it("san-missing: an API server cert without kubernetes.default (the hard way's kubernetes.svc.cluster.local)", async () => {
    const root = seeded((r) => {
      const cert = issue(r, CA, '/CN=kubernetes', [
        'extendedKeyUsage=serverAuth,clientAuth',
        'subjectAltName=IP:127.0.0.1,IP:10.32.0.1,IP:10.240.0.10,DNS:kubernetes,DNS:kubernetes.default.svc,DNS:kubernetes.svc.cluster.local,DNS:server.kubernetes.local',
      ]);
      writeKeyFile(r, 'var/lib/kubernetes/kube-api-server.crt', cert.cert);
      writeKeyFile(r, 'var/lib/kubernetes/kube-api-server.key', cert.key);
    });
    const report = await service.checkTree(root);
    assert.deepEqual(
      report.findings.map((f) => [f.code, f.range.start.line + 1, f.message]),
      [
        [
          'san-missing',
          lineOf(root, APISERVER, '--tls-cert-file='),
          'kube-api-server.crt (from --tls-cert-file in kube-apiserver.yaml) is missing 2 names the clients use: kubernetes.default, kubernetes.default.svc.cluster.local (each a name every pod uses for the kubernetes service)',
        ],
      ],
    );
  });

  it('key-mismatch and file-not-found in a KubeletConfiguration', async () => {
    const root = seeded((r) => {
      writeKeyFile(r, 'var/lib/kubelet/kubelet.key', issue(r, CA, '/CN=x', []).key);
      unlinkSync(join(r, 'var/lib/kubelet/ca.crt'));
    });
    assert.deepEqual(await findingsOf(root), [
      ['file-not-found', KUBELET, lineOf(root, KUBELET, 'clientCAFile:')],
      ['key-mismatch', KUBELET, lineOf(root, KUBELET, 'tlsPrivateKeyFile:')],
    ]);
  });

  it('ca-mismatch: a kubelet serving cert the API server cannot verify', async () => {
    const root = seeded((r) => {
      const ws = new OpensslWorkspace();
      try {
        ws.ca('other', '/CN=node-0-ca');
        const key = ws.rsaKey('kubelet.key');
        ws.signed(
          'kubelet',
          '/O=system:nodes/CN=system:node:node-0',
          'other',
          ['extendedKeyUsage=serverAuth,clientAuth', 'subjectAltName=DNS:node-0,IP:10.240.0.20'],
          { key },
        );
        writeKeyFile(r, 'var/lib/kubelet/kubelet.crt', ws.read('kubelet.crt'));
        writeKeyFile(r, 'var/lib/kubelet/kubelet.key', ws.read('kubelet.key'));
      } finally {
        ws.dispose();
      }
    });
    assert.deepEqual(await findingsOf(root), [['ca-mismatch', APISERVER, lineOf(root, APISERVER, '--kubelet-certificate-authority=')]]);
  });

  it('file-not-found in a systemd unit (the hard way runs the kubelet so)', async () => {
    const unit = 'etc/systemd/system/kubelet.service';
    const root = seeded((r) => {
      mkdirSync(join(r, 'etc/systemd/system'), { recursive: true });
      writeFileSync(
        join(r, unit),
        '[Unit]\nDescription=Kubernetes Kubelet\n\n[Service]\nExecStart=/usr/local/bin/kubelet \\\n  --config=/var/lib/kubelet/kubelet-config.yaml \\\n  --kubeconfig=/var/lib/kubelet/kubeconfig.old \\\n  --v=2\nRestart=on-failure\n\n[Install]\nWantedBy=multi-user.target\n',
      );
    });
    const report = await service.checkTree(root);
    assert.deepEqual(
      report.findings.map((f) => [f.code, f.file.slice(root.length + 1), f.range.start.line + 1, f.range.start.character + 1]),
      [['file-not-found', unit, 7, 16]],
    );
  });

  it('with --root, node paths resolve under the given folder', async () => {
    const report = await service.checkTree(trees.clean(), { root: trees.clean() });
    assert.deepEqual(report.findings, []);
    const elsewhere = trees.scratch();
    const wrongRoot = await service.checkTree(trees.clean(), { root: elsewhere });
    assert.ok(wrongRoot.findings.length > 0 && wrongRoot.findings.every((f) => f.code === 'file-not-found'));
  });
});
