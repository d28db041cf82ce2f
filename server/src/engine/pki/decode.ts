import { createHash, createPublicKey } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import { LineIndex, Range, Span } from '../text/lineIndex';
import { BER_LIMITS } from './berLimits';
import { CertificateInfo, decodeCertificate } from './certificate';
import { CsrInfo, decodeCsr } from './csr';
import { looksLikePem, PemBlock, scanPem } from './pem';
import { decodePkcs12, isPkcs12, Pkcs12PasswordError } from './pkcs12';
import { decodePrivateKey, decodePrivateKeyDer, isPrivateKeyLabel, PrivateKeyInfo } from './privateKey';
import { Problem, problem } from './problem';
import { describeKeyObject, describePublicKey, errorMessage, PublicKeyInfo } from './publicKey';

export interface PublicKeyObject {
  kind: 'publicKey';
  format: 'SPKI' | 'PKCS#1';
  publicKey: PublicKeyInfo;
  problems: Problem[];
}

/** A block that is well-formed but not something kube-pki decodes (EC parameters, CRLs...). */
export interface OtherObject {
  kind: 'other';
  description: string;
  problems: Problem[];
}

export type PkiObject = CertificateInfo | CsrInfo | PublicKeyObject | PrivateKeyInfo | OtherObject;

/** One block of a file, decoded or with the reason it could not be. Exactly one of object/error is set. */
export interface DecodedBlock {
  index: number;
  /** The PEM label, or "DER" for a binary file. */
  label: string;
  /** Where the block is in the text (absent for DER files). */
  span?: Span;
  range?: Range;
  object?: PkiObject;
  error?: string;
}

export interface DecodedFile {
  format: 'pem' | 'der' | 'pkcs12' | 'none';
  blocks: DecodedBlock[];
  /** Why the file as a whole holds nothing decodable (empty, binary, no PEM block...). */
  error?: string;
}

/** Files bigger than this are refused before decoding: no PKI file is this large. */
export const MAX_PKI_FILE_BYTES = 16 * 1024 * 1024;

const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
const CSR_LABELS = new Set(['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);
const UNSUPPORTED_LABELS: Record<string, string> = {
  'X509 CRL': 'certificate revocation lists are not decoded by kube-pki',
  'OPENSSH PRIVATE KEY': 'OpenSSH private keys are not used by Kubernetes components (they need PKCS#1, SEC1 or PKCS#8)',
  'DSA PRIVATE KEY': 'DSA private keys are not supported by Kubernetes components',
  PKCS7: 'PKCS#7 bundles are not decoded by kube-pki (split them into CERTIFICATE blocks)',
  CMS: 'CMS structures are not decoded by kube-pki',
};

/** Decodes a DER object known by its PEM label. Throws with a readable message when the bytes do not fit. */
export function decodeLabelled(label: string, der: Uint8Array, headers: Record<string, string> = {}): PkiObject {
  if (CERTIFICATE_LABELS.has(label)) {
    const cert = wrap('certificate', () => decodeCertificateCached(der));
    // The cached object is shared: label-specific problems go on a copy.
    if (label === 'X509 CERTIFICATE')
      return {
        ...cert,
        problems: [...cert.problems, problem('warning', 'legacy-label', 'legacy PEM label "X509 CERTIFICATE" (RFC 7468 uses "CERTIFICATE"); Go rejects it')],
      };
    if (label === 'TRUSTED CERTIFICATE')
      return {
        ...cert,
        problems: [...cert.problems, problem('warning', 'legacy-label', 'OpenSSL "TRUSTED CERTIFICATE" block: Go (Kubernetes) does not read it')],
      };
    return cert;
  }
  if (CSR_LABELS.has(label)) {
    const csr = wrap('certificate request', () => decodeCsr(der));
    if (label === 'NEW CERTIFICATE REQUEST')
      csr.problems.push(problem('warning', 'legacy-label', 'legacy PEM label "NEW CERTIFICATE REQUEST" (RFC 7468 uses "CERTIFICATE REQUEST")'));
    return csr;
  }
  if (label === 'PUBLIC KEY') {
    const problems: Problem[] = [];
    wrap('public key', () => AsnConvert.parse(der, SubjectPublicKeyInfo));
    return { kind: 'publicKey', format: 'SPKI', publicKey: describePublicKey(der, problems), problems };
  }
  if (label === 'RSA PUBLIC KEY') {
    try {
      const key = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'pkcs1' });
      const spki = new Uint8Array(key.export({ type: 'spki', format: 'der' }));
      return { kind: 'publicKey', format: 'PKCS#1', publicKey: describeKeyObject(key, spki), problems: [] };
    } catch (e) {
      // kops (and others) write SubjectPublicKeyInfo under this label; Kubernetes' keyutil accepts it, so do we, with a warning.
      const problems: Problem[] = [
        problem('warning', 'mislabelled-block', 'an "RSA PUBLIC KEY" block that holds a SubjectPublicKeyInfo ("PUBLIC KEY") rather than PKCS#1'),
      ];
      try {
        AsnConvert.parse(der, SubjectPublicKeyInfo);
      } catch {
        throw new Error(`not a valid PKCS#1 RSA public key: ${errorMessage(e)}`);
      }
      return { kind: 'publicKey', format: 'SPKI', publicKey: describePublicKey(der, problems), problems };
    }
  }
  if (isPrivateKeyLabel(label)) return decodePrivateKeyCached(label, der, headers);
  if (label === 'EC PARAMETERS') {
    return { kind: 'other', description: 'EC parameters (as written by openssl ecparam): not a key', problems: [] };
  }
  const unsupported = UNSUPPORTED_LABELS[label];
  if (unsupported) return { kind: 'other', description: `${label}: ${unsupported}`, problems: [problem('information', 'unsupported-block', unsupported)] };
  return decodeByContent(label, der);
}

const WHAT: Record<PkiObject['kind'], string> = {
  certificate: 'a certificate',
  csr: 'a certificate request',
  publicKey: 'a public key',
  privateKey: 'a private key',
  other: 'an object',
};

/**
 * Tools write labels no standard defines (Talos: "ED25519 PRIVATE KEY" around PKCS#8): such a block
 * is read by what it holds, as a DER file is. A label whose content is none of these is unsupported.
 */
function decodeByContent(label: string, der: Uint8Array): PkiObject {
  let object: PkiObject;
  try {
    object = decodeUnlabelledDer(der);
  } catch {
    throw new Error(`unsupported PEM label "${label}": it holds no certificate, certificate request or key kube-pki can read`);
  }
  // Go's crypto/tls reads a key under any "... PRIVATE KEY" label; every other reader of Kubernetes wants the standard label.
  const goReadsIt = object.kind === 'privateKey' && label.endsWith(' PRIVATE KEY');
  const note = problem(
    goReadsIt ? 'information' : 'warning',
    'nonstandard-label',
    `non-standard PEM label "${label}", read by its content: ${WHAT[object.kind]} (${goReadsIt ? "Go's crypto/tls reads it" : 'Go does not read it under this label'})`,
  );
  return { ...object, problems: [...object.problems, note] };
}

/**
 * Certificates are decoded once per content: the same CA appears in ca.crt and in
 * every kubeconfig's certificate-authority-data, and a bundle may repeat blocks.
 * Bounded, oldest first out. Decoded objects are treated as immutable.
 */
const CERTIFICATE_CACHE_SIZE = 4096;
const certificateCache = new Map<string, CertificateInfo>();

function decodeCertificateCached(der: Uint8Array): CertificateInfo {
  const sha256 = createHash('sha256').update(der).digest();
  const key = sha256.toString('base64');
  const hit = certificateCache.get(key);
  if (hit) return hit;
  const cert = decodeCertificate(der, sha256);
  if (certificateCache.size >= CERTIFICATE_CACHE_SIZE) certificateCache.delete(certificateCache.keys().next().value as string);
  certificateCache.set(key, cert);
  return cert;
}

/**
 * Private keys likewise: the same key is copied to many nodes and embedded in
 * kubeconfigs. What is cached holds only public facts (PrivateKeyInfo); the key
 * includes the headers that make a legacy PEM key encrypted.
 */
const privateKeyCache = new Map<string, PrivateKeyInfo>();

function decodePrivateKeyCached(label: string, der: Uint8Array, headers: Record<string, string>): PrivateKeyInfo {
  const key = `${label}\n${headers['Proc-Type'] ?? ''}\n${headers['DEK-Info'] ?? ''}\n${createHash('sha256').update(der).digest('base64')}`;
  const hit = privateKeyCache.get(key);
  if (hit) return hit;
  const info = decodePrivateKey(label, der, headers);
  if (privateKeyCache.size >= CERTIFICATE_CACHE_SIZE) privateKeyCache.delete(privateKeyCache.keys().next().value as string);
  privateKeyCache.set(key, info);
  return info;
}

function wrap<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    throw new Error(`not a valid ${what}: ${errorMessage(e)}`);
  }
}

/** Guesses what a DER file holds by trying each structure (files carry no label). */
export function decodeUnlabelledDer(der: Uint8Array): PkiObject {
  const attempts: Array<() => PkiObject> = [
    () => decodeCertificate(der),
    () => decodeCsr(der),
    () => {
      AsnConvert.parse(der, SubjectPublicKeyInfo);
      const problems: Problem[] = [];
      return { kind: 'publicKey', format: 'SPKI', publicKey: describePublicKey(der, problems), problems };
    },
  ];
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch {
      // not this structure
    }
  }
  const key = decodePrivateKeyDer(der);
  if (key) return key;
  throw new Error('DER data that is not a certificate, certificate request, public key or private key');
}

/** Past this many blocks in one file, the rest are listed but not decoded: the cost stays bounded (a system CA bundle has ~150). */
export const MAX_DECODED_BLOCKS = 1000;

function decodeBlock(block: PemBlock): DecodedBlock {
  const decoded: DecodedBlock = { index: block.index, label: block.label, span: block.span, range: block.range };
  if (block.index >= MAX_DECODED_BLOCKS) {
    decoded.error = `not decoded: the file has more than ${MAX_DECODED_BLOCKS} PEM blocks`;
    return decoded;
  }
  if (block.error || !block.der) {
    decoded.error = block.error ?? 'malformed PEM block';
    return decoded;
  }
  try {
    decoded.object = decodeLabelled(block.label, block.der, block.headers);
  } catch (e) {
    decoded.error = errorMessage(e);
  }
  return decoded;
}

/** Decodes every PEM block of a text. */
export function decodePemText(text: string, lineIndex?: LineIndex): DecodedFile {
  const blocks = scanPem(text, lineIndex);
  if (blocks.length === 0) {
    return { format: 'none', blocks: [], error: text.trim() === '' ? 'empty file' : 'no PEM block found (expected a "-----BEGIN ...-----" line)' };
  }
  return { format: 'pem', blocks: blocks.map(decodeBlock) };
}

/** Is this byte string one complete DER element (a SEQUENCE), as certificates and keys are? */
export function isDer(bytes: Uint8Array): boolean {
  if (bytes.length < 2 || bytes[0] !== 0x30) return false;
  const parsed = asn1js.fromBER(bytes, BER_LIMITS);
  return parsed.offset === bytes.length;
}

/**
 * Decodes a file's bytes, PEM, DER or PKCS#12, detected by content and not by file name. Never throws.
 * `passwords`: tried on a PKCS#12 file after the empty one.
 */
export function decodePkiBytes(bytes: Uint8Array, passwords: readonly string[] = []): DecodedFile {
  try {
    if (bytes.length === 0) return { format: 'none', blocks: [], error: 'empty file' };
    if (bytes.length > MAX_PKI_FILE_BYTES) {
      return {
        format: 'none',
        blocks: [],
        error: `file too large (${(bytes.length / 1048576).toFixed(1)} MiB; the limit is ${MAX_PKI_FILE_BYTES / 1048576} MiB)`,
      };
    }
    if (isDer(bytes)) {
      if (isPkcs12(bytes)) return openPkcs12(bytes, passwords);
      const block: DecodedBlock = { index: 0, label: 'DER' };
      try {
        block.object = decodeUnlabelledDer(bytes);
      } catch (e) {
        block.error = errorMessage(e);
      }
      return { format: 'der', blocks: [block] };
    }
    const text = Buffer.from(bytes).toString('utf8');
    if (looksLikePem(text)) return decodePemText(text);
    if (text.trim() === '') return { format: 'none', blocks: [], error: 'empty file' };
    if (isBinary(bytes)) return { format: 'none', blocks: [], error: 'binary data that is neither PEM nor DER' };
    return { format: 'none', blocks: [], error: 'no PEM block found (expected a "-----BEGIN ...-----" line)' };
  } catch (e) {
    // Last line of defence: a decoder bug must become an error, not a crash.
    return { format: 'none', blocks: [], error: `cannot decode: ${errorMessage(e)}` };
  }
}

function openPkcs12(bytes: Uint8Array, passwords: readonly string[]): DecodedFile {
  try {
    return decodePkcs12(bytes, passwords, decodeUnlabelledDer);
  } catch (e) {
    return { format: 'pkcs12', blocks: [], error: e instanceof Pkcs12PasswordError ? e.message : `not a valid PKCS#12 file: ${errorMessage(e)}` };
  }
}

function isBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return false;
  } catch {
    return true;
  }
}
