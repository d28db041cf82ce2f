import { getOrMake } from '../memo';
import type { CertificateInfo } from '../pki/certificate';
import { chainTooComplexMessage, verifyCertificate } from '../verify/chain';

export interface ChainVerdict {
  ok: boolean;
  reason: string;
  /** The search gave up at Go's signature-check budget: neither a match nor a mismatch (`chain-too-complex`). */
  tooComplex: boolean;
}

/** Is `leaf` signed (through `intermediates`) by one of `cas`? Only the chain counts here: dates have their own rules. */
export function chainsTo(leaf: CertificateInfo, cas: CertificateInfo[], intermediates: CertificateInfo[] = []): ChainVerdict {
  const result = verifyCertificate(leaf, { trusted: cas, intermediates, at: leaf.notBefore });
  if (result.tooComplex) return { ok: false, tooComplex: true, reason: chainTooComplexMessage() };
  const failed = result.checks.filter((c) => !c.ok && (c.check === 'chain' || c.check === 'signature'));
  if (failed.length === 0) return { ok: true, reason: '', tooComplex: false };
  return { ok: false, reason: failed.map((c) => c.message).join('; '), tooComplex: false };
}

// A target's certificate list is shared by every rule of a run (and kept between runs):
// ca-mismatch and chain-too-complex read one verdict per edge.
const edgeVerdicts = new WeakMap<CertificateInfo[], WeakMap<CertificateInfo[], ChainVerdict>>();

/** chainsTo for the first certificate of `leafCerts` (the rest are its intermediates), once per pair of lists. */
export function edgeVerdict(leafCerts: CertificateInfo[], caCerts: CertificateInfo[]): ChainVerdict {
  return getOrMake(
    getOrMake(edgeVerdicts, leafCerts, () => new WeakMap()),
    caCerts,
    () => chainsTo(leafCerts[0], caCerts, leafCerts.slice(1)),
  );
}

export { firstIpOf, urlHost } from '../kube/addresses';
