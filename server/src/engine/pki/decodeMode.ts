/**
 * Forces the certificate decode onto its plain route: the SubjectPublicKeyInfo serialised by
 * the schema rather than sliced from the parse, and every RSA key imported to be described;
 * every private key through OpenSSL's decoder rather than read from its structure.
 * Only for the tests that prove the fast route decodes every fixture and corpus file to the same
 * object; nothing else sets it.
 */
export const decodeMode = { eager: false };
