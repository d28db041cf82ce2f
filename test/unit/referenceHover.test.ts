import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hoverReference } from '../../server/src/engine/features/referenceFeatures';
import { clusterCa, contextOf, kubeconfig, manifest, otherCa, pki, ROOT } from '../support/ruleTester';

const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const apiserverFlags = [
  '--client-ca-file=/etc/kubernetes/pki/ca.crt',
  '--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt',
  '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
  '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
  '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt',
];

/** The hover's lines on the flag of the manifest that holds `needle`. */
async function hoverLines(tree: Record<string, string>, needle: string): Promise<string[]> {
  const ctx = await contextOf(tree);
  const lines = tree[APISERVER].split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  const hover = hoverReference(ctx, [], `${ROOT}/${APISERVER}`, { line, character: lines[line].indexOf('=/') + 2 });
  return (hover?.markdown ?? '').split(/ {2}\n|\n\n/);
}

describe('the hover of a certificate flag says who verifies it', () => {
  it("lists a serving certificate's clients whose CA signed it (kubeconfigs, inline CAs included), never the client-CA flags", async () => {
    const [ca, other] = [await clusterCa(), await otherCa()];
    const serving = await pki('hover-apiserver', { subject: [['CN', 'kube-apiserver']], usages: ['serverAuth'], sans: ['kubernetes'], signer: clusterCa() });
    const admin = await pki('hover-admin', { subject: [['CN', 'kubernetes-admin']], usages: ['clientAuth'], signer: clusterCa() });
    const tree = {
      [APISERVER]: manifest('kube-apiserver', apiserverFlags),
      'etc/kubernetes/manifests/kube-controller-manager.yaml': manifest('kube-controller-manager', ['--root-ca-file=/etc/kubernetes/pki/ca.crt']),
      'etc/kubernetes/pki/ca.crt': ca.cert,
      'etc/kubernetes/pki/ca.key': ca.key,
      'etc/kubernetes/pki/apiserver.crt': serving.cert,
      'etc/kubernetes/pki/apiserver.key': serving.key,
      'etc/kubernetes/pki/apiserver-kubelet-client.crt': admin.cert,
      'etc/kubernetes/admin.conf': kubeconfig('kubernetes-admin', admin, ca),
      'etc/kubernetes/kubelet.conf': kubeconfig('system:node:cp-1', admin, ca),
      // Another cluster's kubeconfig: its CA signed nothing here.
      'etc/kubernetes/other.conf': kubeconfig('someone', admin, other),
    };
    const lines = await hoverLines(tree, '--tls-cert-file=');
    assert.ok(lines.includes('✓ signed by etc/kubernetes/pki/ca.crt'), lines.join('\n'));
    assert.deepEqual(
      lines.filter((l) => l.startsWith('Verified by')),
      ['Verified by: admin.conf (cluster kubernetes), kubelet.conf (cluster kubernetes), --root-ca-file of kube-controller-manager'],
    );
    // A client certificate: the servers that verify it are those whose client-CA flags name its CA.
    assert.deepEqual(
      (await hoverLines(tree, '--kubelet-client-certificate=')).filter((l) => l.startsWith('Verified by')),
      ['Verified by: --client-ca-file of kube-apiserver'],
    );
  });
});
