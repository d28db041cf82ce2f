import { generateKeyPairSync, KeyObject, randomBytes, sign } from 'node:crypto';
import { RSAPublicKey } from '@peculiar/asn1-rsa';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  BasicConstraints,
  Certificate,
  Extension,
  Extensions,
  GeneralName,
  id_ce_basicConstraints,
  id_ce_subjectAltName,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';

/**
 * Crafted certificates for the bounded-cost tests: built with the ASN.1 schemas and
 * signed with Node's crypto, synchronously (hundreds in well under a second).
 */

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';

export function pem(der: Uint8Array): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

function cn(commonName: string): Name {
  return new Name([new RelativeDistinguishedName([new AttributeTypeAndValue({ type: '2.5.4.3', value: new AttributeValue({ utf8String: commonName }) })])]);
}

interface CertSpec {
  subject: string;
  issuer: string;
  serial: number;
  spki: Uint8Array;
  ca: boolean;
  dnsNames?: string[];
}

function tbsOf(spec: CertSpec, signatureOid: string): TBSCertificate {
  const extensions = new Extensions();
  if (spec.ca)
    extensions.push(
      new Extension({ extnID: id_ce_basicConstraints, critical: true, extnValue: new OctetString(AsnConvert.serialize(new BasicConstraints({ cA: true }))) }),
    );
  if (spec.dnsNames) {
    const san = new SubjectAlternativeName(spec.dnsNames.map((dNSName) => new GeneralName({ dNSName })));
    extensions.push(new Extension({ extnID: id_ce_subjectAltName, critical: false, extnValue: new OctetString(AsnConvert.serialize(san)) }));
  }
  const now = Date.now();
  return new TBSCertificate({
    version: Version.v3,
    serialNumber: Uint8Array.of(0x01, (spec.serial >> 16) & 0xff, (spec.serial >> 8) & 0xff, spec.serial & 0xff).buffer,
    signature: new AlgorithmIdentifier({ algorithm: signatureOid }),
    issuer: cn(spec.issuer),
    validity: new Validity({ notBefore: new Date(now - 86_400_000), notAfter: new Date(now + 365 * 86_400_000) }),
    subject: cn(spec.subject),
    subjectPublicKeyInfo: AsnConvert.parse(spec.spki, SubjectPublicKeyInfo),
    extensions,
  });
}

/** A certificate signed (ECDSA P-256, SHA-256) by `signer`. */
function ecSigned(spec: CertSpec, signer: KeyObject): Uint8Array {
  const tbs = tbsOf(spec, ECDSA_WITH_SHA256);
  const signature = sign('sha256', Buffer.from(AsnConvert.serialize(tbs)), signer);
  const cert = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 }),
    signatureValue: new Uint8Array(signature).buffer,
  });
  return new Uint8Array(AsnConvert.serialize(cert));
}

export interface SharedKeyChain {
  /** The leaf followed by the K intermediates (a kubeconfig's client-certificate-data, or verify's LEAF file). */
  leafAndIntermediates: string;
  leaf: string;
  intermediates: string;
}

/**
 * A leaf issued by `name` and K self-issued CA certificates named `name`, all
 * signed by one key that every intermediate carries: each intermediate
 * verifies under every other, so a search without a budget explores K! paths.
 * With `distinctSans` each intermediate has its own SAN, so Go's "already in
 * the chain" test (same subject, key and SAN) does not prune them either.
 */
export function sharedKeyIntermediates(k: number, options: { name?: string; distinctSans?: boolean } = {}): SharedKeyChain {
  const name = options.name ?? 'kubernetes';
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  const leafKey = new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' }));
  const leaf = pem(ecSigned({ subject: 'attacker', issuer: name, serial: 1, spki: leafKey, ca: false }, privateKey));
  let intermediates = '';
  for (let i = 0; i < k; i++) {
    intermediates += pem(
      ecSigned({ subject: name, issuer: name, serial: 100 + i, spki, ca: true, dnsNames: options.distinctSans ? [`i${i}.example`] : undefined }, privateKey),
    );
  }
  return { leafAndIntermediates: leaf + intermediates, leaf, intermediates };
}

/**
 * `count` self-issued CA certificates named `name` whose RSA keys have a 2048-bit
 * modulus and an exponent of `exponentBits` bits (OpenSSL verifies with such a key
 * at the cost of a private-key operation; Go refuses exponents above 2^31-1). No
 * Subject Key Identifier, so a leaf's Authority Key Identifier cannot set them
 * aside. Their own signatures are random numbers below the modulus: they do not
 * verify, but only the work they cause counts.
 */
export function bigExponentCas(count: number, options: { name?: string; exponentBits?: number } = {}): string {
  const name = options.name ?? 'kubernetes';
  const exponentBits = options.exponentBits ?? 2040;
  const modulus = Buffer.from(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }).n!, 'base64url');
  let out = '';
  for (let i = 0; i < count; i++) {
    const e = randomBytes(Math.ceil(exponentBits / 8));
    e[0] = (e[0] & (0xff >> (e.length * 8 - exponentBits))) | (0x80 >> (e.length * 8 - exponentBits));
    e[e.length - 1] |= 1;
    const rsa = new RSAPublicKey({ modulus: withSignByte(modulus), publicExponent: withSignByte(e) });
    const spki = new SubjectPublicKeyInfo({
      algorithm: new AlgorithmIdentifier({ algorithm: RSA_ENCRYPTION, parameters: null }),
      subjectPublicKey: AsnConvert.serialize(rsa),
    });
    const tbs = tbsOf({ subject: name, issuer: name, serial: 5000 + i, spki: new Uint8Array(AsnConvert.serialize(spki)), ca: true }, SHA256_WITH_RSA);
    const cert = new Certificate({
      tbsCertificate: tbs,
      signatureAlgorithm: new AlgorithmIdentifier({ algorithm: SHA256_WITH_RSA, parameters: null }),
      signatureValue: new Uint8Array(signatureBelow()).buffer,
    });
    out += pem(new Uint8Array(AsnConvert.serialize(cert)));
  }
  return out;
}

/** Random signature bytes below any 2048-bit modulus, so OpenSSL does the exponentiation instead of refusing them up front. */
function signatureBelow(): Buffer {
  const bytes = randomBytes(256);
  bytes[0] = 0;
  return bytes;
}

/** A DER INTEGER's content for a positive magnitude (a leading zero when the top bit is set). */
function withSignByte(magnitude: Uint8Array): ArrayBuffer {
  const bytes = magnitude[0] & 0x80 ? Buffer.concat([Buffer.of(0), magnitude]) : Buffer.from(magnitude);
  return new Uint8Array(bytes).buffer;
}
