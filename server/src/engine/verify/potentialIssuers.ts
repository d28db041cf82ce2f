import type { CertificateInfo } from '../pki/certificate';
import { checkIssuedBy } from './issuedBy';

/**
 * Go's crypto/x509 (verify.go, maxChainSignatureChecks): one verification
 * considers at most 100 candidate issuers, counted as buildChains'
 * considerCandidate counts them (every candidate not already in the chain,
 * whether or not its signature then verifies). Every issuer search here keeps
 * to it, so a bundle of same-named CAs costs at most that many checks.
 */
export const MAX_CHAIN_SIGNATURE_CHECKS = 100;

/**
 * Go's findPotentialParents order (cert_pool.go): issuers whose Subject Key
 * Identifier is the certificate's Authority Key Identifier first (both absent
 * counts as equal), then those where one of the two is missing, then mismatches.
 */
export function keyIdRank(cert: CertificateInfo, candidate: CertificateInfo): number {
  const aki = cert.authorityKeyId ?? '';
  const ski = candidate.subjectKeyId ?? '';
  if (aki === ski) return 0;
  return aki === '' || ski === '' ? 1 : 2;
}

/** The items whose certificate is named as `cert`'s issuer, in Go's order (stable within a rank). */
export function potentialIssuers<T>(cert: CertificateInfo, items: readonly T[], certOf: (item: T) => CertificateInfo): T[] {
  const named = items.filter((item) => certOf(item).subject.comparable === cert.issuer.comparable);
  return named
    .map((item, i) => ({ item, rank: keyIdRank(cert, certOf(item)) * named.length + i }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ item }) => item);
}

/**
 * The first item whose certificate issued `cert` (name, key identifiers and
 * signature), trying the likeliest first and at most `budget` of them (each
 * verdict is cached per pair by checkIssuedBy).
 */
export function findIssuer<T>(
  cert: CertificateInfo,
  items: readonly T[],
  certOf: (item: T) => CertificateInfo,
  budget = MAX_CHAIN_SIGNATURE_CHECKS,
): T | undefined {
  for (const item of potentialIssuers(cert, items, certOf).slice(0, budget)) {
    if (checkIssuedBy(cert, certOf(item)).ok) return item;
  }
  return undefined;
}
