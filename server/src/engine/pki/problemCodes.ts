/**
 * Every code the decoder gives what it finds in a certificate, CSR or key
 * without any configuration: shown on an open PEM document, by `kube-pki
 * inspect` and in hovers. `problem()` takes only these (the compiler refuses
 * another), docs/rules/decoder-problems.md describes each, and
 * test/rules/completeness.test.ts holds the two together. Findings of
 * `kube-pki check` come from the rules in rules/, which report these as
 * `pem-invalid` or `weak-key` where they matter to a cluster.
 */
export const DECODER_PROBLEMS = {
  'bad-country': 'a country (C) attribute that is not a two-letter code',
  'bad-time': 'a validity time that cannot be read',
  'challenge-password': 'a CSR with a challengePassword attribute (Kubernetes ignores it)',
  'csr-signature': 'a CSR whose self-signature does not verify, or cannot be checked',
  'duplicate-extension': 'an extension present more than once',
  'empty-dns-san': 'an empty DNS name in the SANs',
  'empty-eku': 'an extended key usage extension listing no usage',
  'empty-key-usage': 'a key usage extension asserting no usage',
  'empty-san': 'a Subject Alternative Name extension with no name',
  'ec-stored-point-mismatch': "an EC private key whose stored public key is not its private key's: Go uses the private key's, OpenSSL the stored one",
  'encrypted-key': 'an encrypted private key: its public facts cannot be read without the passphrase',
  'invalid-dns-san': 'a DNS SAN that is not a host name (characters outside printable ASCII, spaces)',
  'invalid-utf8': 'a UTF8String that is not UTF-8',
  'invalid-version': 'an X.509 or PKCS#10 version that does not exist',
  'inverted-validity': 'notBefore after notAfter: never valid',
  'legacy-label': 'a PEM label from an older standard (e.g. X509 CERTIFICATE)',
  'long-serial': 'a serial number longer than RFC 5280 allows (20 octets)',
  'malformed-extension': 'an extension whose value does not parse',
  'malformed-public-key': 'a subject public key that does not parse',
  'malformed-san': 'a Subject Alternative Name extension that does not parse',
  'mislabelled-block': 'a PEM block whose label does not match its content',
  'must-be-non-critical': 'an extension RFC 5280 says must not be critical, marked critical',
  'negative-serial': 'a negative serial number',
  'no-identity': 'neither a subject nor a Subject Alternative Name',
  'nonstandard-label': "a PEM label no standard defines (Talos' ED25519 PRIVATE KEY), read by what the block holds",
  'non-der-encoding': 'BER that is not DER (long-form tags, non-minimal lengths...)',
  'pem-invalid-block': 'a PEM block that does not decode (bad base64, END label, truncated): the block, not the file',
  'pem-no-block': 'a file opened as PEM that holds no PEM block and is not DER',
  'pathlen-without-ca': 'a path length constraint on a certificate that is not a CA',
  'server-cert-without-san': 'a serverAuth certificate without SANs: Go clients ignore the CN',
  'signature-algorithm-mismatch': 'the signed algorithm differs from the outer one',
  'trailing-data': 'bytes after the DER object',
  'unknown-critical-extension': 'a critical extension nothing here understands (Go rejects the certificate)',
  'unsupported-block': 'a PEM block of a kind kube-pki does not decode',
  'unsupported-key-algorithm': 'a key algorithm, size or encoding Go does not accept (a compressed EC point), or kube-pki cannot read',
  'unsupported-san-type': 'a SAN of a type Kubernetes does not use',
  'unusual-name-encoding': 'a name attribute in an unusual string type',
  'v1-certificate': 'an X.509 v1 certificate: no extensions, so no SANs and no CA flag',
  'weak-key': 'an RSA key under 2048 bits, or a curve Go does not accept',
  'weak-signature': 'a SHA-1 or MD5 signature, which Go rejects',
  'zero-serial': 'a serial number of zero',
} as const;

export type DecoderProblemCode = keyof typeof DECODER_PROBLEMS;
