import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { DOCUMENT_KINDS, kindOfDocument, textKindOf } from '../../server/src/engine/kube/kinds';
import { holdsPemBlocks } from '../../server/src/engine/kube/kinds/pem';
import { parseConfigText } from '../../server/src/engine/kube/parseConfigText';
import { filesUnder, REPO_ROOT } from '../support/paths';

/**
 * Every example file, and the kinds it is read as: a text kind's id (the
 * whole file), the YAML kinds of its documents in order, or nothing (not
 * configuration). `pem`: its PEM blocks count on their own (standalone checks).
 */
const EXPECTED: Record<string, { kinds: string[]; pem?: true }> = {
  'examples/cluster/README.md': { kinds: [] },
  'examples/cluster/etc/hostname': { kinds: [] },
  'examples/cluster/etc/kubernetes/admin.conf': { kinds: ['kubeconfig'] },
  'examples/cluster/etc/kubernetes/controller-manager.conf': { kinds: ['kubeconfig'] },
  'examples/cluster/etc/kubernetes/kubelet.conf': { kinds: ['kubeconfig'] },
  'examples/cluster/etc/kubernetes/scheduler.conf': { kinds: ['kubeconfig'] },
  'examples/cluster/etc/kubernetes/super-admin.conf': { kinds: ['kubeconfig'] },
  'examples/cluster/etc/kubernetes/manifests/etcd.yaml': { kinds: ['static-pod'] },
  'examples/cluster/etc/kubernetes/manifests/kube-apiserver.yaml': { kinds: ['static-pod'] },
  'examples/cluster/etc/kubernetes/manifests/kube-controller-manager.yaml': { kinds: ['static-pod'] },
  'examples/cluster/etc/kubernetes/manifests/kube-scheduler.yaml': { kinds: ['static-pod'] },
  'examples/cluster/var/lib/kubelet/config.yaml': { kinds: ['kubelet-config'] },
  'examples/cluster/var/lib/kubelet/kubeadm-flags.env': { kinds: ['kubelet-env'] },
  'examples/cluster/var/lib/kubelet/pki/kubelet-client-2025-01-01-00-00-00.pem': { kinds: ['pem'], pem: true },
  // A link to the one above, as the kubelet rotates it.
  'examples/cluster/var/lib/kubelet/pki/kubelet-client-current.pem': { kinds: ['pem'], pem: true },
  'test/fixtures/kinds/10-kubeadm.conf': { kinds: ['systemd-unit'] },
  'test/fixtures/kinds/NOTES.md': { kinds: ['pem'] },
  'test/fixtures/kinds/admin.kubeconfig.json': { kinds: ['kubeconfig'] },
  'test/fixtures/kinds/apiserver': { kinds: ['env-file'] },
  'test/fixtures/kinds/ca.conf': { kinds: ['openssl-config'] },
  'test/fixtures/kinds/deployment.yaml': { kinds: [] },
  'test/fixtures/kinds/etcd.env': { kinds: ['env-file'] },
  'test/fixtures/kinds/etc/rancher/k3s/config.yaml': { kinds: ['rancher-config'] },
  'test/fixtures/kinds/helm-secret.yaml': { kinds: [] },
  'test/fixtures/kinds/kube-apiserver.service': { kinds: ['systemd-unit'] },
  'test/fixtures/kinds/kube-proxy-config.yaml': { kinds: ['component-config'] },
  'test/fixtures/kinds/kube-scheduler-config.yaml': { kinds: ['component-config'] },
  'test/fixtures/kinds/kubeadm.yaml': { kinds: ['kubeadm-config', 'kubeadm-config'] },
  'test/fixtures/kinds/nginx-pod.yaml': { kinds: [] },
  'test/fixtures/kinds/tls-secret.yaml': { kinds: ['apiObjects'] },
  'test/fixtures/kinds/talos-controlplane.yaml': { kinds: ['talos-machine-config'] },
  'test/fixtures/kinds/talosconfig': { kinds: ['talosconfig'] },
  'test/fixtures/kinds/var/snap/microk8s/current/args/kube-apiserver': { kinds: ['args-file'] },
};

/** Certificates, keys and the service-account key pair of the example cluster: all PEM files. */
const PKI_FILE = /\/pki\/.*\.(crt|key|pub)$/;

/** What the check makes of a file: the text kind that claims it, else the kinds of its YAML documents. */
function kindsOf(path: string, text: string): string[] {
  const textKind = textKindOf(text, path);
  if (textKind) return [textKind.id];
  return parseConfigText(path, text)?.documents.map((d) => d.kind) ?? [];
}

const fixtures = [...filesUnder(join(REPO_ROOT, 'examples')), ...filesUnder(join(REPO_ROOT, 'test', 'fixtures', 'kinds'))]
  .map((path) => relative(REPO_ROOT, path))
  .sort();

describe('document kinds', () => {
  it('every registered kind has an id of its own, a detector and a reader', () => {
    const ids = DOCUMENT_KINDS.map((k) => k.id);
    assert.equal(new Set(ids).size, ids.length, `duplicate ids in ${ids.join(', ')}`);
    for (const kind of DOCUMENT_KINDS) {
      assert.ok(kind.syntax === 'text' || kind.syntax === 'yaml', `${kind.id}: syntax`);
      assert.equal(typeof kind.detect, 'function', `${kind.id}: detect`);
      assert.equal(typeof kind.read, 'function', `${kind.id}: read`);
    }
  });

  it('every registered kind has an example file in the table, and every example file is in the table', () => {
    const expected = new Set(Object.values(EXPECTED).flatMap((e) => e.kinds));
    assert.deepEqual(
      DOCUMENT_KINDS.map((k) => k.id).filter((id) => !expected.has(id)),
      [],
    );
    assert.deepEqual(
      fixtures.filter((f) => !PKI_FILE.test(f) && !(f in EXPECTED)),
      [],
    );
  });

  for (const file of fixtures) {
    const expected = PKI_FILE.test(file) ? { kinds: ['pem'], pem: true } : EXPECTED[file];
    it(`${file} is read as ${expected?.kinds.join(', ') || 'no configuration'}`, () => {
      const path = join(REPO_ROOT, file);
      const text = readFileSync(path, 'utf8');
      assert.deepEqual(kindsOf(path, text), expected.kinds);
      assert.equal(holdsPemBlocks(path, text), expected.pem ?? false);
      // A document goes to the node through the kind that read it.
      for (const doc of parseConfigText(path, text)?.documents ?? []) {
        assert.equal(kindOfDocument(doc).id, doc.kind);
        assert.equal(typeof kindOfDocument(doc).addToNode, 'function', `${doc.kind}: addToNode`);
      }
    });
  }
});
