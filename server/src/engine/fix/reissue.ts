import { distributionOf, PodModel } from '../check/clusterModel';
import type { FixSpec, SignerFiles } from '../check/fixSpec';
import type { RuleContext } from '../check/ruleContext';
import { renewalOf } from '../distributions';
import type { Reference } from '../kube/reference';
import type { CertificateInfo } from '../pki/certificate';
import { sansOf, subjectPairs, usagesOf } from '../pki/certificateFields';
import { base, signerFor } from './signerFor';

/**
 * The key reference paired with a certificate reference (--tls-cert-file -> --tls-private-key-file): written in the same
 * file, or both passed by the distribution to the component it runs in-process (k3s: each such flag is held by its own file).
 */
export function pairedKeyRef(references: Reference[], certRef: Reference): Reference | undefined {
  const together = (r: Reference) =>
    r.file === certRef.file || (r.builtInBy !== undefined && r.builtInBy === certRef.builtInBy && r.component === certRef.component);
  return references.find((r) => r.spec.name === certRef.spec.pairedWith && together(r) && r.owner === certRef.owner);
}

export function referencesAround(ctx: RuleContext, ref: Reference): Reference[] {
  for (const node of ctx.nodes) {
    for (const pod of Object.values(node.pods) as PodModel[]) if (pod.references.includes(ref)) return pod.references;
    if (node.kubelet.includes(ref)) return node.kubelet;
    for (const kubeconfig of node.kubeconfigs) if (kubeconfig.references.includes(ref)) return kubeconfig.references;
    for (const { document } of [...node.talosMachineConfigs, ...node.talosconfigs]) if (document.references.includes(ref)) return document.references;
  }
  return [];
}

/**
 * Re-issues the certificate a file reference names, keeping its key (the file
 * the paired flag names) and its signer, subject and usages; `sans` adds names; `signer`, when given,
 * is the CA to sign with instead of the one that signed it.
 * Its lifetime is its distribution's for the file (renew's too), not the old certificate's; the CA follows it where the
 * distribution writes it so (k3s, RKE2).
 * Undefined when the key or the signing CA is not in the tree.
 */
export function reissueFix(
  ctx: RuleContext,
  certRef: Reference,
  cert: CertificateInfo,
  title: string,
  sans: string[] = sansOf(cert),
  signer: SignerFiles | undefined = signerFor(ctx, cert),
): FixSpec | undefined {
  const certPath = ctx.ok(certRef)?.path;
  const keyRef = pairedKeyRef(referencesAround(ctx, certRef), certRef);
  const keyPath = keyRef ? ctx.ok(keyRef)?.path : undefined;
  if (!certPath || !keyPath || !signer || certRef.inline) return undefined;
  // The distribution the check decided for the file's node (a k3s support bundle is k3s by its content, not its path).
  const profile = renewalOf(distributionOf(ctx.nodes, certPath), certPath);
  return {
    kind: 'issue-certificate',
    title: `${title} (signed by ${base(signer.certPath)}, same key)`,
    certPath,
    keyPath,
    key: 'keep',
    subject: subjectPairs(cert),
    usages: usagesOf(cert),
    sans,
    ca: false,
    signer,
    validityDays: profile.days,
    ...(profile.appendsChain ? { appendChain: true } : {}),
  };
}
