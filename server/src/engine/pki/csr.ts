import { CertificationRequest } from '@peculiar/asn1-csr';
import { AsnConvert, AsnParser } from '@peculiar/asn1-schema';
import { Extensions } from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import { WHOLE_OBJECT_BER } from './berLimits';
import { type ExtensionInfo, extendedKeyUsageOids, keyUsageNames } from './certificate';
import { checkDerTree } from './derStrictness';
import { DistinguishedName, decodeName } from './distinguishedName';
import { digest } from './fingerprint';
import { EXTENDED_KEY_USAGES, EXTENSIONS, nameOf, SIGNATURE_ALGORITHMS, UNDERSTOOD_EXTENSIONS, WEAK_SIGNATURE_ALGORITHMS } from './oids';
import { Problem, problem } from './problem';
import { describePublicKey, errorMessage, loadPublicKey, PublicKeyInfo } from './publicKey';
import { verifySignedData } from './signature';
import { decodeSubjectAltNames, SubjectAltName } from './subjectAltName';

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const CHALLENGE_PASSWORD = '1.2.840.113549.1.9.7';

/** A PKCS#10 certificate signing request: what it asks a CA to certify. */
export interface CsrInfo {
  kind: 'csr';
  der: Uint8Array;
  subject: DistinguishedName;
  publicKey: PublicKeyInfo;
  spki: Uint8Array;
  signatureAlgorithm: string;
  /** The request is signed by the key it carries (proof of possession). */
  signatureValid: boolean | undefined;
  requestedSubjectAltNames?: SubjectAltName[];
  requestedKeyUsage?: string[];
  requestedExtendedKeyUsage?: string[];
  requestedExtensions: ExtensionInfo[];
  sha256: string;
  problems: Problem[];
}

/** The request's self-signature, by the key it carries. */
function checkSelfSignature(asn: CertificationRequest, csr: CsrInfo): void {
  const info = asn.certificationRequestInfo;
  const { spki, problems } = csr;
  const algorithmOid = asn.signatureAlgorithm.algorithm;
  const key = loadPublicKey(spki);
  if (key) {
    const verdict = verifySignedData(
      {
        tbs: new Uint8Array(asn.certificationRequestInfoRaw ?? AsnConvert.serialize(info)),
        algorithmOid,
        algorithmParameters: asn.signatureAlgorithm.parameters,
        signature: new Uint8Array(asn.signature),
      },
      key,
    );
    csr.signatureValid = verdict.status === 'unknown' ? undefined : verdict.status === 'valid';
    if (verdict.status !== 'valid')
      problems.push(
        problem(
          verdict.status === 'invalid' ? 'warning' : 'information',
          'csr-signature',
          `the request's self-signature ${verdict.status === 'invalid' ? 'does not verify' : 'cannot be checked'}: ${verdict.reason}`,
        ),
      );
  }
}

/** The requested extensions (SANs, EKU, key usage) and what is wrong with them. */
function readRequestedExtensions(extensions: Extensions, csr: CsrInfo): void {
  const problems = csr.problems;
  const seen = new Set<string>();
  for (const ext of extensions) {
    const name = nameOf(EXTENSIONS, ext.extnID);
    csr.requestedExtensions.push({ oid: ext.extnID, name, critical: ext.critical });
    if (seen.has(ext.extnID)) problems.push(problem('error', 'duplicate-extension', `the ${name} extension is requested more than once`));
    seen.add(ext.extnID);
    if (ext.critical && !UNDERSTOOD_EXTENSIONS.has(ext.extnID))
      problems.push(problem('warning', 'unknown-critical-extension', `requests unknown critical extension ${name}`));
    try {
      // The values go straight through @peculiar/asn1-x509's schemas, as a certificate's do.
      if (ext.extnID === '2.5.29.17') csr.requestedSubjectAltNames = decodeSubjectAltNames(ext.extnValue.buffer, problems);
      else if (ext.extnID === '2.5.29.37')
        csr.requestedExtendedKeyUsage = extendedKeyUsageOids(ext.extnValue.buffer).map((o) => nameOf(EXTENDED_KEY_USAGES, o));
      else if (ext.extnID === '2.5.29.15') csr.requestedKeyUsage = keyUsageNames(ext.extnValue.buffer);
    } catch (e) {
      problems.push(problem('error', 'malformed-extension', `the requested ${name} extension is malformed: ${errorMessage(e)}`));
    }
  }
}

/** The attributes: a challengePassword is said, an extensionRequest is read. */
function readAttributes(attributes: CertificationRequest['certificationRequestInfo']['attributes'], csr: CsrInfo): void {
  const problems = csr.problems;
  for (const attribute of attributes) {
    if (attribute.type === CHALLENGE_PASSWORD) {
      problems.push(problem('information', 'challenge-password', 'the request carries a challengePassword attribute (ignored by Kubernetes)'));
      continue;
    }
    if (attribute.type !== EXTENSION_REQUEST) continue;
    for (const value of attribute.values) {
      let extensions: Extensions;
      try {
        extensions = AsnConvert.parse(value, Extensions);
      } catch (e) {
        problems.push(problem('error', 'malformed-extension', `the requested extensions are malformed: ${errorMessage(e)}`));
        continue;
      }
      readRequestedExtensions(extensions, csr);
    }
  }
}

export function decodeCsr(der: Uint8Array): CsrInfo {
  // One BER parse for the schema and the DER strictness walk.
  const parsed = asn1js.fromBER(der, WHOLE_OBJECT_BER);
  if (parsed.result.error) throw new Error(parsed.result.error);
  const asn = AsnParser.fromASN(parsed.result, CertificationRequest);
  const info = asn.certificationRequestInfo;
  const problems: Problem[] = checkDerTree(parsed.result, 'the request', 'warning'); // CSR attributes are loosely typed (SET OF ANY): warn only
  if (info.version !== 0) problems.push(problem('error', 'invalid-version', `invalid CSR version ${info.version} (PKCS#10 defines only v1 = 0)`));
  const subject = decodeName(info.subject, problems, 'subject');
  const spki = new Uint8Array(AsnConvert.serialize(info.subjectPKInfo));
  const publicKey = describePublicKey(spki, problems, info.subjectPKInfo);
  const algorithmOid = asn.signatureAlgorithm.algorithm;
  if (WEAK_SIGNATURE_ALGORITHMS.has(algorithmOid))
    problems.push(problem('warning', 'weak-signature', `signed with ${nameOf(SIGNATURE_ALGORITHMS, algorithmOid)}, which is broken`));

  const csr: CsrInfo = {
    kind: 'csr',
    der,
    subject,
    publicKey,
    spki,
    signatureAlgorithm: nameOf(SIGNATURE_ALGORITHMS, algorithmOid),
    signatureValid: undefined,
    requestedExtensions: [],
    sha256: digest('sha256', der),
    problems,
  };

  checkSelfSignature(asn, csr);
  readAttributes(info.attributes, csr);
  return csr;
}
