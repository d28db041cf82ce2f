import { decodeCsr } from '../pki/csr';
import { x509 } from '../pki/x509Runtime';
import { issueCertificate, Signer, sanEntries, Usage } from './issue';
import { GeneratedKey, generateKey, KeyType, signingAlgorithmFor } from './keys';

export interface CsrSpec {
  subject: Array<[string, string]>;
  sans: string[];
  keyType: KeyType;
}

/** Makes a key and a PKCS#10 request for it, as `openssl req -new` does in the seeds. */
export async function createCsr(spec: CsrSpec): Promise<{ csrPem: string; key: GeneratedKey }> {
  const key = await generateKey(spec.keyType);
  const sans = sanEntries(spec.sans);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: spec.subject.map(([type, value]) => ({ [type]: [value] })),
    keys: key.keys,
    signingAlgorithm: signingAlgorithmFor(key.keys.privateKey),
    extensions: sans.length > 0 ? [new x509.SubjectAlternativeNameExtension(sans, false)] : [],
  });
  return { csrPem: csr.toString('pem') + '\n', key };
}

/**
 * Signs a CSR with a CA, as `openssl x509 -req -CA` does in the seeds, but
 * refusing a request whose self-signature does not verify, and copying its
 * subject and requested SANs.
 */
export async function signCsr(
  csrPem: string,
  signer: Signer,
  options: { usages?: Usage[]; notBefore: Date; notAfter: Date },
): Promise<{ certPem: string; usages: Usage[] }> {
  const request = new x509.Pkcs10CertificateRequest(csrPem);
  const decoded = decodeCsr(new Uint8Array(request.rawData));
  if (decoded.signatureValid === false) throw new Error('the request is not signed by the key it carries (proof of possession failed)');
  const requestedEku = decoded.requestedExtendedKeyUsage?.filter((u): u is Usage => u === 'serverAuth' || u === 'clientAuth');
  const usages = options.usages ?? (requestedEku?.length ? requestedEku : ['clientAuth']);
  const publicKey = await request.publicKey.export();
  const cert = await issueCertificate(
    {
      subject: decoded.subject.rdns.flat().map((a) => [a.type, a.value] as [string, string]),
      ca: false,
      usages,
      sans: (decoded.requestedSubjectAltNames ?? []).filter((s) => s.type === 'DNS' || s.type === 'IP').map((s) => s.value),
      notBefore: options.notBefore,
      notAfter: options.notAfter,
      publicKey,
    },
    undefined,
    signer,
  );
  return { certPem: cert.toString('pem') + '\n', usages };
}
