import { AsnConvert, AsnParser } from '@peculiar/asn1-schema';
import {
  BasicConstraints as AsnBasicConstraints,
  Extension as AsnExtension,
  AuthorityKeyIdentifier,
  Certificate,
  CertificatePolicies,
  ExtendedKeyUsage,
  KeyUsage,
  KeyUsageFlags,
  NameConstraints,
  SubjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import { BER_LIMITS, VALUE_PARSE, WHOLE_OBJECT_BER } from './berLimits';
import { decodeMode } from './decodeMode';
import { derSlice } from './derSlice';
import { checkDerTree } from './derStrictness';
import { DistinguishedName, decodeName } from './distinguishedName';
import { colonHex, digest } from './fingerprint';
import { EXTENDED_KEY_USAGES, EXTENSIONS, MUST_BE_NON_CRITICAL, nameOf, SIGNATURE_ALGORITHMS, UNDERSTOOD_EXTENSIONS, WEAK_SIGNATURE_ALGORITHMS } from './oids';
import { Problem, problem } from './problem';
import { describePublicKey, errorMessage, PublicKeyInfo } from './publicKey';
import { SignedData } from './signature';
import { decodeSubjectAltNames, SubjectAltName } from './subjectAltName';

export interface ExtensionInfo {
  oid: string;
  name: string;
  critical: boolean;
}

export interface BasicConstraints {
  ca: boolean;
  pathLen?: number;
  critical: boolean;
}

/** Everything kube-pki shows or checks about one certificate. Plain data: safe to cache and serialise. */
export interface CertificateInfo {
  kind: 'certificate';
  der: Uint8Array;
  /** 1, 2 or 3 (an invalid version is reported as a problem and shown as found). */
  version: number;
  /** Colon-separated hex of the serial's DER integer bytes. */
  serial: string;
  subject: DistinguishedName;
  issuer: DistinguishedName;
  notBefore: Date;
  notAfter: Date;
  signatureAlgorithm: string;
  signatureAlgorithmOid: string;
  publicKey: PublicKeyInfo;
  spki: Uint8Array;
  subjectAltNames?: SubjectAltName[];
  keyUsage?: string[];
  extendedKeyUsage?: string[];
  extendedKeyUsageOids?: string[];
  basicConstraints?: BasicConstraints;
  subjectKeyId?: string;
  authorityKeyId?: string;
  extensions: ExtensionInfo[];
  sha256: string;
  sha1: string;
  /** Subject and issuer are the same name (RFC 5280 "self-issued"). */
  selfIssued: boolean;
  signed: SignedData;
  problems: Problem[];
}

// From @peculiar/asn1-x509, not @peculiar/x509: decoding must not load the generation stack (tsyringe, reflect-metadata).
const KEY_USAGE_BITS: Array<[number, string]> = [
  [KeyUsageFlags.digitalSignature, 'digitalSignature'],
  [KeyUsageFlags.nonRepudiation, 'nonRepudiation'],
  [KeyUsageFlags.keyEncipherment, 'keyEncipherment'],
  [KeyUsageFlags.dataEncipherment, 'dataEncipherment'],
  [KeyUsageFlags.keyAgreement, 'keyAgreement'],
  [KeyUsageFlags.keyCertSign, 'keyCertSign'],
  [KeyUsageFlags.cRLSign, 'cRLSign'],
  [KeyUsageFlags.encipherOnly, 'encipherOnly'],
  [KeyUsageFlags.decipherOnly, 'decipherOnly'],
];

/** The names of the bits set in a Key Usage extension's value, in RFC 5280 order. */
export function keyUsageNames(value: ArrayBuffer): string[] {
  const usages = AsnConvert.parse(value, KeyUsage, VALUE_PARSE).toNumber();
  return KEY_USAGE_BITS.filter(([bit]) => (usages & bit) !== 0).map(([, label]) => label);
}

/** The purposes of an Extended Key Usage extension's value, as OIDs. */
export function extendedKeyUsageOids(value: ArrayBuffer): string[] {
  return Array.from(AsnConvert.parse(value, ExtendedKeyUsage, VALUE_PARSE), String);
}

/** The version and serial number, with what RFC 5280 says of them. */
function checkVersionAndSerial(tbs: Certificate['tbsCertificate'], problems: Problem[]): { version: number; serialBytes: Uint8Array } {
  const version = tbs.version + 1;
  if (tbs.version < 0 || tbs.version > 2) problems.push(problem('error', 'invalid-version', `invalid X.509 version ${tbs.version} (only v1, v2 and v3 exist)`));
  else if (version === 1) problems.push(problem('warning', 'v1-certificate', 'X.509 v1 certificate: no extensions, so no SANs and no CA flag'));

  const serialBytes = new Uint8Array(tbs.serialNumber);
  if (serialBytes.length > 0 && (serialBytes[0] & 0x80) !== 0)
    problems.push(problem('warning', 'negative-serial', 'the serial number is negative (RFC 5280 requires a positive integer)'));
  if (serialBytes.length > 20 && !(serialBytes.length === 21 && serialBytes[0] === 0))
    problems.push(problem('warning', 'long-serial', `the serial number is ${serialBytes.length} octets (RFC 5280 allows at most 20)`));
  if (serialBytes.every((b) => b === 0)) problems.push(problem('warning', 'zero-serial', 'the serial number is zero'));
  return { version, serialBytes };
}

/** The outer signature algorithm, which must be the signed one (and not a broken one). */
function checkSignatureAlgorithm(asn: Certificate, problems: Problem[]): string {
  const tbs = asn.tbsCertificate;
  const signatureAlgorithmOid = asn.signatureAlgorithm.algorithm;
  if (signatureAlgorithmOid !== tbs.signature.algorithm) {
    problems.push(
      problem(
        'warning',
        'signature-algorithm-mismatch',
        `the signed algorithm ${nameOf(SIGNATURE_ALGORITHMS, tbs.signature.algorithm)} differs from the outer ${nameOf(SIGNATURE_ALGORITHMS, signatureAlgorithmOid)} (RFC 5280 4.1.1.2)`,
      ),
    );
  }
  if (WEAK_SIGNATURE_ALGORITHMS.has(signatureAlgorithmOid))
    problems.push(
      problem('warning', 'weak-signature', `signed with ${nameOf(SIGNATURE_ALGORITHMS, signatureAlgorithmOid)}, which is broken; Go TLS rejects it`),
    );
  return signatureAlgorithmOid;
}

/** Whom the certificate names: a subject or SANs, and SANs for a server Go clients will reach. */
function checkIdentity(info: CertificateInfo): void {
  const problems = info.problems;
  if (info.subject.rdns.length === 0 && !info.subjectAltNames?.length) {
    problems.push(problem('warning', 'no-identity', 'the certificate has neither a subject nor a Subject Alternative Name'));
  }
  if (info.extendedKeyUsageOids?.includes('1.3.6.1.5.5.7.3.1') && info.subjectAltNames === undefined && !info.basicConstraints?.ca) {
    problems.push(
      problem(
        'warning',
        'server-cert-without-san',
        'serverAuth certificate without Subject Alternative Names: Go clients (kubectl, kubelet) ignore the CN and will reject it',
      ),
    );
  }
}

/**
 * Parses a DER certificate; throws only when the bytes are not a certificate at all.
 * `sha256`: the digest of `der` when the caller has it (the decode cache's key), so it is hashed once.
 */
export function decodeCertificate(der: Uint8Array, sha256?: Buffer): CertificateInfo {
  // One BER parse serves the schema, the DER strictness walk and the trailing-bytes count.
  const parsed = asn1js.fromBER(der, WHOLE_OBJECT_BER);
  if (parsed.result.error) throw new Error(parsed.result.error);
  const asn = AsnParser.fromASN(parsed.result, Certificate);
  // fromASN only reads the tree (asn1js.compareSchema does not change its input).
  const problems: Problem[] = checkDerTree(parsed.result, 'the certificate');
  const tbs = asn.tbsCertificate;

  const trailing = der.length - parsed.offset;
  if (trailing > 0) problems.push(problem('warning', 'trailing-data', `${trailing} bytes of data follow the certificate`));

  const { version, serialBytes } = checkVersionAndSerial(tbs, problems);

  const subject = decodeName(tbs.subject, problems, 'subject');
  const issuer = decodeName(tbs.issuer, problems, 'issuer');
  for (const rdn of subject.rdns)
    for (const a of rdn) {
      if (a.type === 'C' && !/^[A-Za-z]{2}$/.test(a.value)) problems.push(problem('warning', 'bad-country', `country "${a.value}" is not a two-letter code`));
    }

  const notBefore = readTime(() => tbs.validity.notBefore.getTime(), 'notBefore', problems);
  const notAfter = readTime(() => tbs.validity.notAfter.getTime(), 'notAfter', problems);
  if (notBefore.getTime() > notAfter.getTime())
    problems.push(problem('error', 'inverted-validity', 'notBefore is after notAfter: the certificate is never valid'));

  const signatureAlgorithmOid = checkSignatureAlgorithm(asn, problems);

  const spki = spkiBytes(parsed.result, tbs);
  const publicKey = describePublicKey(spki, problems, tbs.subjectPublicKeyInfo);

  const info: CertificateInfo = {
    kind: 'certificate',
    der,
    version,
    serial: colonHexOf(serialBytes),
    subject,
    issuer,
    notBefore,
    notAfter,
    signatureAlgorithm: nameOf(SIGNATURE_ALGORITHMS, signatureAlgorithmOid),
    signatureAlgorithmOid,
    publicKey,
    spki,
    extensions: [],
    sha256: sha256 ? colonHex(sha256) : digest('sha256', der),
    sha1: digest('sha1', der),
    selfIssued: subject.comparable === issuer.comparable,
    signed: {
      tbs: new Uint8Array(asn.tbsCertificateRaw ?? AsnConvert.serialize(tbs)),
      algorithmOid: signatureAlgorithmOid,
      algorithmParameters: asn.signatureAlgorithm.parameters,
      signature: new Uint8Array(asn.signatureValue),
    },
    problems,
  };
  decodeExtensions(tbs.extensions ?? [], info);

  checkIdentity(info);
  return info;
}

function decodeExtensions(extensions: AsnExtension[], info: CertificateInfo): void {
  const problems = info.problems;
  const seen = new Set<string>();
  for (const ext of extensions) {
    const oid = ext.extnID;
    const name = nameOf(EXTENSIONS, oid);
    info.extensions.push({ oid, name, critical: ext.critical });
    if (seen.has(oid)) problems.push(problem('error', 'duplicate-extension', `the ${name} extension appears more than once (RFC 5280 4.2)`));
    seen.add(oid);
    if (ext.critical && !UNDERSTOOD_EXTENSIONS.has(oid)) {
      const what =
        oid === '1.3.6.1.4.1.11129.2.4.3'
          ? 'CT precertificate poison: this is a precertificate, not usable for TLS'
          : `unknown critical extension ${name}: verifiers must reject this certificate`;
      problems.push(problem('warning', 'unknown-critical-extension', what));
    }
    if (ext.critical && MUST_BE_NON_CRITICAL[oid])
      problems.push(problem('warning', 'must-be-non-critical', `${MUST_BE_NON_CRITICAL[oid]} must not be critical`));
    const value = ext.extnValue.buffer;
    try {
      decodeExtension(oid, value, ext, info);
    } catch (e) {
      problems.push(problem('error', 'malformed-extension', `the ${name} extension is malformed: ${errorMessage(e)}`));
    }
  }
}

// The extension values are parsed with @peculiar/asn1-x509's schemas directly (what
// @peculiar/x509's extension classes do after re-parsing the whole Extension).
function decodeExtension(oid: string, value: ArrayBuffer, ext: AsnExtension, info: CertificateInfo): void {
  const problems = info.problems;
  switch (oid) {
    case '2.5.29.17':
      info.subjectAltNames = decodeSubjectAltNames(value, problems);
      return;
    case '2.5.29.15': {
      info.keyUsage = keyUsageNames(value);
      if (info.keyUsage.length === 0) problems.push(problem('warning', 'empty-key-usage', 'the Key Usage extension has no bit set'));
      return;
    }
    case '2.5.29.37': {
      const oids = extendedKeyUsageOids(value);
      if (oids.length === 0) problems.push(problem('error', 'empty-eku', 'the Extended Key Usage extension is empty (RFC 5280 requires at least one purpose)'));
      info.extendedKeyUsageOids = oids;
      info.extendedKeyUsage = oids.map((o) => nameOf(EXTENDED_KEY_USAGES, o));
      return;
    }
    case '2.5.29.19': {
      const bc = AsnConvert.parse(value, AsnBasicConstraints, VALUE_PARSE);
      info.basicConstraints = { ca: bc.cA, pathLen: bc.pathLenConstraint, critical: ext.critical };
      if (!bc.cA && bc.pathLenConstraint !== undefined)
        problems.push(problem('error', 'pathlen-without-ca', 'basicConstraints has a pathLenConstraint but CA is false (RFC 5280 4.2.1.9)'));
      return;
    }
    case '2.5.29.14':
      info.subjectKeyId = colonHex(AsnConvert.parse(value, SubjectKeyIdentifier, VALUE_PARSE).buffer);
      return;
    case '2.5.29.35': {
      const aki = AsnConvert.parse(value, AuthorityKeyIdentifier, VALUE_PARSE);
      if (aki.keyIdentifier) info.authorityKeyId = colonHex(aki.keyIdentifier.buffer);
      return;
    }
    case '2.5.29.32':
      AsnConvert.parse(value, CertificatePolicies, VALUE_PARSE);
      return;
    case '2.5.29.30':
      checkNameConstraints(value);
      return;
    case '2.5.29.54': {
      const parsed = asn1js.fromBER(value, BER_LIMITS);
      const int = parsed.result;
      if (parsed.offset === -1 || !(int instanceof asn1js.Integer)) throw new Error('not an INTEGER');
      if (int.valueBlock.valueDec < 0) throw new Error(`negative skipCerts ${int.valueBlock.valueDec}`);
      return;
    }
    case '1.3.6.1.4.1.11129.2.4.2':
      checkSctList(value);
      return;
    default:
      return;
  }
}

/** IP constraints are address+mask: 8 or 32 bytes, with a contiguous mask (RFC 5280 4.2.1.10). */
function checkNameConstraints(value: ArrayBuffer): void {
  AsnConvert.parse(value, NameConstraints, VALUE_PARSE);
  // The schema renders IP constraints as text; read the raw bytes from the asn1js tree instead.
  const root = asn1js.fromBER(value, BER_LIMITS).result as asn1js.Sequence;
  for (const subtrees of root.valueBlock.value as asn1js.Constructed[]) {
    for (const subtree of (subtrees.valueBlock?.value ?? []) as asn1js.Constructed[]) {
      const base = subtree.valueBlock?.value?.[0] as (asn1js.BaseBlock & { valueBlock: { valueHexView?: Uint8Array } }) | undefined;
      if (!base || base.idBlock.tagClass !== 3 || base.idBlock.tagNumber !== 7) continue;
      const bytes = base.valueBlock.valueHexView ?? new Uint8Array();
      if (bytes.length !== 8 && bytes.length !== 32) throw new Error(`IP constraint of ${bytes.length} bytes (must be 8 or 32: address and mask)`);
      let seenZero = false;
      for (const byte of bytes.subarray(bytes.length / 2)) {
        for (let bit = 7; bit >= 0; bit--) {
          const set = (byte >> bit) & 1;
          if (set && seenZero) throw new Error('IP constraint netmask is not contiguous');
          if (!set) seenZero = true;
        }
      }
    }
  }
}

// RFC 6962 3.3: SignedCertificateTimestampList is a TLS vector of TLS vectors inside an OCTET STRING.
function checkSctList(value: ArrayBuffer): void {
  const parsed = asn1js.fromBER(value, BER_LIMITS);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.OctetString)) throw new Error('not an OCTET STRING');
  const list = parsed.result.valueBlock.valueHexView;
  if (list.length < 2) throw new Error('SCT list too short');
  const total = (list[0] << 8) | list[1];
  if (total !== list.length - 2) throw new Error(`SCT list length ${total} does not match the ${list.length - 2} bytes present`);
  for (let at = 2; at < list.length; ) {
    if (at + 2 > list.length) throw new Error('truncated SCT entry');
    const len = (list[at] << 8) | list[at + 1];
    if (len === 0 || at + 2 + len > list.length) throw new Error(`SCT entry length ${len} overruns the list`);
    at += 2 + len;
  }
}

/** The DER SubjectPublicKeyInfo: the parse's own bytes when they are DER (nearly always), else the schema's serialisation. */
function spkiBytes(root: asn1js.AsnType, tbs: Certificate['tbsCertificate']): Uint8Array {
  const fields = ((root as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence).valueBlock.value;
  // TBSCertificate: [0] version (optional), serial, signature, issuer, validity, subject, subjectPublicKeyInfo...
  const hasVersion = fields[0]?.idBlock.tagClass === 3 && fields[0].idBlock.tagNumber === 0;
  const raw = fields[hasVersion ? 6 : 5];
  const slice = !decodeMode.eager && raw ? derSlice(raw) : undefined;
  return slice ? new Uint8Array(slice) : new Uint8Array(AsnConvert.serialize(tbs.subjectPublicKeyInfo));
}

function readTime(get: () => Date, which: string, problems: Problem[]): Date {
  try {
    const d = get();
    if (!Number.isNaN(d.getTime())) return d;
  } catch {
    // reported below
  }
  problems.push(problem('error', 'bad-time', `the ${which} time is not a valid UTCTime/GeneralizedTime`));
  return new Date(NaN);
}

function colonHexOf(bytes: Uint8Array): string {
  // Drop the sign-padding zero the way openssl shows serials.
  const view = bytes.length > 1 && bytes[0] === 0 ? bytes.subarray(1) : bytes;
  return colonHex(view);
}
