import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { x509 } from '../pki/x509Runtime';
import { signingAlgorithmFor } from './keys';

export type Usage = 'serverAuth' | 'clientAuth';

export interface CertificateRequest {
  /** Subject as attributes in order, e.g. [['O', 'system:nodes'], ['CN', 'system:node:cp-1']]. */
  subject: Array<[string, string]>;
  ca: boolean;
  usages: Usage[];
  /** DNS names and IP addresses, in order; IPs are recognised by form. */
  sans: string[];
  notBefore: Date;
  notAfter: Date;
  publicKey: CryptoKey;
  /** Key Usage bits by name (certificateFields' names), kept by a renewal; else derived from the key and role. */
  keyUsage?: string[];
}

export interface Signer {
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
}

const EKU_OIDS: Record<Usage, string> = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' };

/** A positive random serial of 64 bits (kubeadm: random in [1, MaxInt64)). */
function serialNumber(): string {
  const bytes = randomBytes(8);
  bytes[0] &= 0x7f;
  if (bytes.every((b) => b === 0)) bytes[7] = 1;
  return bytes.toString('hex');
}

export function sanEntries(sans: string[]): Array<{ type: 'dns' | 'ip'; value: string }> {
  const seen = new Set<string>();
  return sans.flatMap((value) => {
    const key = value.toLowerCase();
    if (!value || seen.has(key)) return [];
    seen.add(key);
    return [{ type: isIP(value) ? ('ip' as const) : ('dns' as const), value }];
  });
}

/**
 * Issues a certificate the way kubeadm's pkiutil does: CAs with CA:TRUE and
 * keyCertSign; leaves with digitalSignature (+ keyEncipherment for RSA keys:
 * RFC 8813 forbids it with ECDSA) and the EKUs of their role; SKI on every
 * cert, AKI on issued ones. Self-signed when no signer is given.
 */
export async function issueCertificate(
  request: CertificateRequest,
  keyPairForSelfSigned: CryptoKeyPair | undefined,
  signer?: Signer,
): Promise<x509.X509Certificate> {
  const rsa = request.publicKey.algorithm.name !== 'ECDSA';
  let usages = x509.KeyUsageFlags.digitalSignature | (rsa ? x509.KeyUsageFlags.keyEncipherment : 0);
  if (request.ca) usages |= x509.KeyUsageFlags.keyCertSign;
  if (request.keyUsage?.length) usages = request.keyUsage.reduce((bits, name) => bits | (x509.KeyUsageFlags[name as keyof typeof x509.KeyUsageFlags] ?? 0), 0);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(request.ca, undefined, true),
    new x509.KeyUsagesExtension(usages, true),
    await x509.SubjectKeyIdentifierExtension.create(request.publicKey),
  ];
  if (request.usages.length > 0)
    extensions.push(
      new x509.ExtendedKeyUsageExtension(
        request.usages.map((u) => EKU_OIDS[u]),
        false,
      ),
    );
  const sans = sanEntries(request.sans);
  if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans, false));
  if (signer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(signer.certificate.publicKey, false));
  const subject = request.subject.map(([type, value]) => ({ [type]: [value] }));
  const common = { serialNumber: serialNumber(), notBefore: request.notBefore, notAfter: request.notAfter, extensions };
  if (!signer) {
    if (!keyPairForSelfSigned) throw new Error('a self-signed certificate needs its key pair');
    return x509.X509CertificateGenerator.createSelfSigned({
      ...common,
      name: subject,
      keys: keyPairForSelfSigned,
      signingAlgorithm: signingAlgorithmFor(keyPairForSelfSigned.privateKey),
    });
  }
  return x509.X509CertificateGenerator.create({
    ...common,
    subject,
    issuer: signer.certificate.subjectName,
    publicKey: request.publicKey,
    signingKey: signer.privateKey,
    signingAlgorithm: signingAlgorithmFor(signer.privateKey),
  });
}
