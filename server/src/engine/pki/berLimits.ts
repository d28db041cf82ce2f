/**
 * Options for every asn1js.fromBER of certificate, CSR and key bytes. asn1js
 * stops at 10,000 nodes by default, which rejects a real certificate with
 * 10,000 SANs (openssl makes and reads one). The limit still bounds the work:
 * 200,000 nodes parse in well under a second, and PKI files are capped at 16 MiB.
 */
export const BER_LIMITS = { maxNodes: 200_000 } as const;

/**
 * For the one parse of a whole certificate or CSR: asn1js would also try to parse the
 * content of every OCTET STRING and BIT STRING as BER (the signature, the public key,
 * each extension's value), which nothing reads from that tree: the schemas take their
 * bytes, and each extension value is parsed on its own under BER_LIMITS. A third less work.
 */
export const WHOLE_OBJECT_BER = { ...BER_LIMITS, parseEmbedded: false } as const;

/** AsnConvert.parse options for an extension's value: the same, for the same reason (asn1js's default node limit kept). */
export const VALUE_PARSE = { berOptions: { parseEmbedded: false } } as const;
