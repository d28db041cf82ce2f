import { posix } from 'node:path';
import { nodeReferences } from '../check/clusterModel';
import type { RuleContext } from '../check/ruleContext';
import type { Reference } from '../kube/reference';
import { chainsTo } from '../verify/chainsTo';

/**
 * Whether a CA flag or field verifies the certificate a serving flag serves:
 * the API server's clients (kubeconfigs, the root CA published to pods), the
 * API server as etcd's and the kubelets' client, etcd members as each other's peers.
 */
function verifiesServer(serving: Reference, ca: Reference): boolean {
  switch (serving.component) {
    case 'kube-apiserver':
      return ca.component === 'kubeconfig' || (ca.component === 'kube-controller-manager' && ca.spec.name === '--root-ca-file');
    case 'etcd':
      return serving.spec.name === '--peer-cert-file'
        ? ca.component === 'etcd' && ca.spec.name === '--peer-trusted-ca-file'
        : ca.component === 'kube-apiserver' && ca.spec.name === '--etcd-cafile';
    case 'kubelet':
      return ca.component === 'kube-apiserver' && ca.spec.name === '--kubelet-certificate-authority';
    default:
      return false;
  }
}

/** "admin.conf (cluster kubernetes)", "--root-ca-file of kube-controller-manager": how the hover names a verifier. */
function verifierLabel(ref: Reference): string {
  return ref.component === 'kubeconfig' ? `${posix.basename(ref.file)}${ref.owner ? ` (cluster ${ref.owner})` : ''}` : `${ref.name} of ${ref.component}`;
}

/**
 * Who verifies the certificate a serving or client flag names: the CA flags and
 * fields of its peers whose bundle signed it (a serving certificate's clients,
 * a client certificate's servers), inline kubeconfig CAs included.
 */
export function verifiersOf(ctx: RuleContext, ref: Reference): string[] {
  const certs = ctx.ok(ref)?.certs;
  if (!certs?.length || (ref.role !== 'serving-cert' && ref.role !== 'client-cert')) return [];
  const verifiers = ctx.nodes.flatMap(nodeReferences).filter((ca) => {
    const peer = ref.role === 'serving-cert' ? ca.role === 'server-ca' && verifiesServer(ref, ca) : ca.role === 'client-ca';
    const bundle = peer ? ctx.ok(ca)?.certs : undefined;
    return bundle?.length && chainsTo(certs[0], certs.slice(1), bundle);
  });
  // The kubeconfigs first: the files a user reads to reach the cluster.
  const kubeconfigsFirst = [...verifiers.filter((v) => v.component === 'kubeconfig'), ...verifiers.filter((v) => v.component !== 'kubeconfig')];
  return [...new Set(kubeconfigsFirst.map(verifierLabel))];
}
