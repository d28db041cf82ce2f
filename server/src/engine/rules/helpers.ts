import type { NodeModel, PodModel } from '../check/clusterModel';
import type { CertificateInfo } from '../pki/certificate';
import type { Reference } from '../kube/reference';
import { verifyCertificate } from '../verify/chain';

export function refOf(pod: PodModel | undefined, name: string): Reference | undefined {
  return pod?.references.find((r) => r.spec.name === name);
}

export function kubeletRef(node: NodeModel, ...names: string[]): Reference | undefined {
  for (const name of names) {
    const found = node.kubelet.find((r) => r.spec.name === name) ?? node.implicit.find((r) => r.spec.name === name);
    if (found) return found;
  }
  return undefined;
}


/** Is `leaf` signed (through `intermediates`) by one of `cas`? Only the chain counts here: dates have their own rules. */
export function chainsTo(leaf: CertificateInfo, cas: CertificateInfo[], intermediates: CertificateInfo[] = []): { ok: boolean; reason: string } {
  const result = verifyCertificate(leaf, { trusted: cas, intermediates, at: leaf.notBefore });
  const failed = result.checks.filter((c) => !c.ok && (c.check === 'chain' || c.check === 'signature'));
  if (failed.length === 0) return { ok: true, reason: '' };
  return { ok: false, reason: failed.map((c) => c.message).join('; ') };
}


export { firstIpOf, urlHost } from '../kube/addresses';
