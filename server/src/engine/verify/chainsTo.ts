import type { CertificateInfo } from '../pki/certificate';
import { verifyCertificate } from './chain';

/**
 * Whether a CA bundle signed a certificate (through the intermediates it came
 * with): only the chain and its signatures count, dates and usages have their
 * own rules. A search that gave up (Go's budget) is no evidence against it.
 */
export function chainsTo(leaf: CertificateInfo, intermediates: CertificateInfo[], trusted: CertificateInfo[]): boolean {
  const result = verifyCertificate(leaf, { trusted, intermediates, at: leaf.notBefore });
  return result.tooComplex || result.checks.every((c) => c.ok || (c.check !== 'chain' && c.check !== 'signature'));
}
