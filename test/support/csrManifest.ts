// CertificateSigningRequest manifests made in the test: a fresh key, a PKCS#10 request with any subject
// and SANs (DNS, IP, email, URI), and the manifest kubectl would apply.
import { generateKey } from '../../server/src/engine/gen/keys';
import { x509 } from '../../server/src/engine/pki/x509Runtime';
import { b64 } from './ruleTester';

export type RequestedSan = { type: 'dns' | 'ip' | 'email' | 'url'; value: string };

/** A PEM CSR for a new ECDSA P-256 key, and that key pair (to sign a certificate for it). */
export async function makeCsr(subject: Array<[string, string]>, sans: RequestedSan[] = []): Promise<{ pem: string; keys: CryptoKeyPair }> {
  const { keys } = await generateKey('ECDSA-P256');
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subject.map(([type, value]) => ({ [type]: [value] })),
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions: sans.length > 0 ? [new x509.SubjectAlternativeNameExtension(sans, false)] : [],
  });
  return { pem: `${csr.toString('pem')}\n`, keys };
}

export interface CsrFields {
  apiVersion?: string;
  request?: string;
  signerName?: string;
  usages?: string[];
  /** status.certificate (PEM, base64-encoded here). */
  certificate?: string;
}

/**
 * The manifest: line 4 metadata.name (col 9), line 6 spec.request (col 12), line 7 spec.signerName (col 15),
 * line 8 `usages:` and one item a line from line 9 (col 5), then status.certificate (col 16).
 */
export function csrManifest(name: string, fields: CsrFields): string {
  return [
    `apiVersion: ${fields.apiVersion ?? 'certificates.k8s.io/v1'}`,
    'kind: CertificateSigningRequest',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    ...(fields.request ? [`  request: ${b64(fields.request)}`] : []),
    ...(fields.signerName ? [`  signerName: ${fields.signerName}`] : []),
    ...(fields.usages ? ['  usages:', ...fields.usages.map((u) => `  - ${u}`)] : []),
    ...(fields.certificate ? ['status:', `  certificate: ${b64(fields.certificate)}`] : []),
    '',
  ].join('\n');
}
