// The PKI view's data (engine): each certificate by its role, the worst finding that concerns it
// whichever reference it was reported on, and every certificate and CA by expiry, on the example cluster.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PathGuard } from '../../server/src/engine/io/pathGuard';
import { createKubePkiService } from '../../server/src/engine/service';
import { REPO_ROOT } from '../support/paths';

const CLUSTER = join(REPO_ROOT, 'examples', 'cluster');
const service = createKubePkiService({ guard: () => PathGuard.forCli() });

describe('PKI view data on the example cluster', () => {
  it('labels each certificate by its role, with the worst finding that concerns it, and lists all by expiry', async () => {
    const tree = await service.pkiTree(await service.checkTree(CLUSTER));
    const signed = tree.cas.flatMap((ca) => ca.signed.map((c) => [ca.role, c.role, c.worst ?? 'none']));
    assert.deepEqual(signed, [
      ['ca', 'apiserver', 'error'],
      // key-mismatch is reported on --kubelet-client-key: it concerns the certificate all the same.
      ['ca', 'apiserver-kubelet-client', 'error'],
      ['ca', 'controller-manager.conf client', 'none'],
      ['ca', 'kubelet.conf client', 'none'],
      ['ca', 'scheduler.conf client', 'error'],
      ['ca', 'super-admin.conf client', 'none'],
      ['etcd-ca', 'apiserver-etcd-client', 'error'],
      ['etcd-ca', 'etcd peer', 'none'],
      ['etcd-ca', 'etcd server', 'none'],
      ['front-proxy-ca', 'admin.conf client', 'error'],
      ['front-proxy-ca', 'front-proxy-client', 'none'],
    ]);
    const kubeletClient = tree.cas[0].signed.find((c) => c.role === 'apiserver-kubelet-client');
    assert.deepEqual(
      kubeletClient?.findings.map((f) => [f.code, f.severity]),
      [['key-mismatch', 'error']],
    );
    const rows = tree.byExpiry.map((r) => r.role);
    assert.equal(rows[0], 'apiserver-etcd-client');
    assert.equal(rows.at(-1), 'healthcheck-client.crt', 'the unreferenced file last');
    assert.equal(rows.length, 16);
    const notAfters = tree.byExpiry.filter((r) => r.referenced).map((r) => r.notAfter);
    assert.deepEqual(notAfters, [...notAfters].sort(), 'soonest first');
    assert.ok(rows.includes('kubelet serving') && rows.includes('ca') && rows.includes('etcd-ca'), 'certificates and CAs alike');
  });
});

describe('preview data placed in the workspace (example cluster)', () => {
  it('the apiserver certificate: its role, the CA that signed it with the verdict, and the flags naming it', async () => {
    const report = await service.checkTree(CLUSTER);
    const path = join(CLUSTER, 'etc/kubernetes/pki/apiserver.crt');
    const preview = await service.previewData(path, await service.loadPkiFile(path), report);
    const [block] = preview.blocks;
    assert.equal(block.role, 'apiserver');
    assert.deepEqual(
      block.caChain?.map((ca) => [ca.role, ca.subject, ca.file, ca.verified]),
      [['ca', 'CN=kubernetes', join(CLUSTER, 'etc/kubernetes/pki/ca.crt'), true]],
    );
    assert.deepEqual(
      block.references?.map((r) => [r.file.slice(CLUSTER.length + 1), r.line + 1, r.component, r.name]),
      [['etc/kubernetes/manifests/kube-apiserver.yaml', 41, 'kube-apiserver', '--tls-cert-file']],
    );
    assert.ok(typeof block.daysLeft === 'number' && block.daysLeft > 300);
  });

  it('front-proxy-client: its chain leads to front-proxy-ca, verified', async () => {
    const report = await service.checkTree(CLUSTER);
    const path = join(CLUSTER, 'etc/kubernetes/pki/front-proxy-client.crt');
    const preview = await service.previewData(path, await service.loadPkiFile(path), report);
    assert.deepEqual(
      preview.blocks[0].caChain?.map((ca) => [ca.role, ca.verified]),
      [['front-proxy-ca', true]],
    );
  });

  it('outside a checked folder, only the file itself', async () => {
    const path = join(CLUSTER, 'etc/kubernetes/pki/apiserver.crt');
    const preview = await service.previewData(path, await service.loadPkiFile(path));
    assert.equal(preview.blocks[0].caChain, undefined);
    assert.equal(preview.blocks[0].references, undefined);
  });
});
