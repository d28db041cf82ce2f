/**
 * Options for every asn1js.fromBER of certificate, CSR and key bytes. asn1js
 * stops at 10,000 nodes by default, which rejects a real certificate with
 * 10,000 SANs (openssl makes and reads one). The limit still bounds the work:
 * 200,000 nodes parse in well under a second, and PKI files are capped at 16 MiB.
 */
export const BER_LIMITS = { maxNodes: 200_000 } as const;
