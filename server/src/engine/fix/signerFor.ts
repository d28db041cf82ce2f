import { posix } from 'node:path';
import { distributionOf, nodeReferences } from '../check/clusterModel';
import type { SignerFiles } from '../check/fixSpec';
import type { RuleContext } from '../check/ruleContext';
import { caKeyPaths } from '../distributions';
import { getOrMake } from '../memo';
import type { CertificateInfo } from '../pki/certificate';
import { findIssuer } from '../verify/potentialIssuers';

/**
 * The CA files that signed `cert`: among every CA the tree's configuration
 * names, the one whose key verifies the signature, and whose key file is
 * beside it (by the distribution's naming). Undefined when no such CA (with its key) is in the tree.
 */
export function signerFor(ctx: RuleContext, cert: CertificateInfo): SignerFiles | undefined {
  // The likeliest CA first (AKI/SKI), within Go's budget: a bundle of same-named CAs is not tried whole.
  return findIssuer(cert, signerCandidates(ctx), (c) => c.ca)?.files;
}

// The tree's CAs with their keys, found once per check: every fix of every finding asks.
const candidatesByContext = new WeakMap<RuleContext, Array<{ ca: CertificateInfo; files: SignerFiles }>>();

function signerCandidates(ctx: RuleContext): Array<{ ca: CertificateInfo; files: SignerFiles }> {
  return getOrMake(candidatesByContext, ctx, () => findCandidates(ctx));
}

function findCandidates(ctx: RuleContext): Array<{ ca: CertificateInfo; files: SignerFiles }> {
  const seen = new Set<string>();
  const candidates: Array<{ ca: CertificateInfo; files: SignerFiles }> = [];
  for (const ref of ctx.nodes.flatMap(nodeReferences)) {
    if (ref.role !== 'client-ca' && ref.role !== 'server-ca' && ref.role !== 'signing-cert') continue;
    const target = ctx.ok(ref);
    if (!target?.path || seen.has(target.path)) continue;
    seen.add(target.path);
    // ca.key, or the distribution's own name for it (kubespray's ca-key.pem beside ca.pem).
    const keyPath = caKeyPaths(target.path, distributionOf(ctx.nodes, target.path)).find((p) => ctx.workspace.exists(p));
    if (!keyPath) continue;
    for (const ca of target.certs) candidates.push({ ca, files: { certPath: target.path, keyPath } });
  }
  return candidates;
}

export function base(path: string): string {
  return posix.basename(path);
}
