import type { CertificateInfo } from '../pki/certificate';
import type { CsrInfo } from '../pki/csr';
import type { DecodedBlock, PkiObject } from '../pki/decode';
import { commonName } from '../pki/distinguishedName';
import type { Problem } from '../pki/problem';
import { unusableRsaKey } from '../pki/publicKey';
import { formatSan } from '../pki/subjectAltName';
import { checkCaUsable, checkRootUsable, isSelfSigned, ROOT_NOT_STRICT, rootStrictnessViolations } from '../verify/caUsable';
import { DEFAULT_EXPIRY_WARNING_DAYS, expiryPhrase, expiryStatus } from '../verify/validity';

/**
 * A verdict that needs no configuration: the object alone says it
 * (self-signed, expired, weak key...). `level` drives colour and diagnostics.
 */
export interface Finding {
  level: 'ok' | 'info' | 'warning' | 'error';
  text: string;
}

export interface Field {
  label: string;
  value: string | string[];
}

/**
 * The neutral description of one PEM/DER block: a title, labelled fields and
 * findings. The CLI renders it as text, the hover as Markdown, the preview as
 * HTML: one builder, so every face says the same thing.
 */
export interface Description {
  title: string;
  fields: Field[];
  findings: Finding[];
}

/** Short name of a block, used for outlines and headings: "Certificate CN=kube-apiserver", "RSA private key 2048". */
export function titleOf(object: PkiObject): string {
  switch (object.kind) {
    case 'certificate':
      return `${object.basicConstraints?.ca ? 'CA certificate' : 'Certificate'} ${nameForTitle(object.subject.text)}`;
    case 'csr':
      return `Certificate request ${nameForTitle(object.subject.text)}`;
    case 'publicKey':
      return `Public key ${object.publicKey.description}`;
    case 'privateKey':
      if (!object.publicKey) return `Encrypted private key (${object.format})`;
      return `${object.publicKey.algorithm} private key${object.publicKey.bits && object.publicKey.algorithm !== 'EC' ? ` ${object.publicKey.bits}` : object.publicKey.curve ? ` ${object.publicKey.curve}` : ''}`;
    case 'other':
      return object.description;
  }
}

function nameForTitle(dn: string): string {
  return dn === '' ? '(empty subject)' : dn;
}

export function titleOfBlock(block: DecodedBlock): string {
  if (block.object) return titleOf(block.object);
  return `Invalid ${block.label === 'DER' ? 'DER data' : `${block.label || 'PEM'} block`}`;
}

export { isSelfSigned };

/** `warningDays`: the expiry window, the checker's (kubePki.expiryWarningDays). */
export function describeObject(object: PkiObject, at: Date = new Date(), warningDays = DEFAULT_EXPIRY_WARNING_DAYS): Description {
  switch (object.kind) {
    case 'certificate':
      return describeCertificate(object, at, warningDays);
    case 'csr':
      return describeCsr(object);
    case 'publicKey':
      return {
        title: titleOf(object),
        fields: [
          { label: 'Format', value: object.format === 'SPKI' ? 'SubjectPublicKeyInfo (PUBLIC KEY)' : 'PKCS#1 (RSA PUBLIC KEY)' },
          { label: 'Key', value: object.publicKey.description },
          { label: 'Public key SHA-256', value: object.publicKey.spkiSha256 },
        ],
        findings: problemFindings(object.problems),
      };
    case 'privateKey':
      return {
        title: titleOf(object),
        fields: [
          { label: 'Format', value: object.format },
          ...(object.publicKey
            ? [
                { label: 'Key', value: object.publicKey.description },
                { label: 'Public key SHA-256', value: object.publicKey.spkiSha256 },
              ]
            : []),
        ],
        // Only public facts: the private material never leaves the decoder.
        findings: [{ level: 'info', text: 'private key: contents not shown' }, ...problemFindings(object.problems)],
      };
    case 'other':
      return { title: object.description, fields: [], findings: problemFindings(object.problems) };
  }
}

export function describeBlock(block: DecodedBlock, at: Date = new Date(), warningDays = DEFAULT_EXPIRY_WARNING_DAYS): Description {
  if (block.object) return describeObject(block.object, at, warningDays);
  return { title: titleOfBlock(block), fields: [], findings: [{ level: 'error', text: block.error ?? 'cannot be decoded' }] };
}

function describeCertificate(cert: CertificateInfo, at: Date, warningDays: number): Description {
  const fields: Field[] = [
    { label: 'Subject', value: cert.subject.text || '(empty)' },
    { label: 'Issuer', value: cert.issuer.text || '(empty)' },
    { label: 'Validity', value: `${isoOrInvalid(cert.notBefore)} to ${isoOrInvalid(cert.notAfter)} (${expiryPhrase(cert, at)})` },
  ];
  if (cert.subjectAltNames)
    fields.push({ label: 'Subject Alternative Names', value: cert.subjectAltNames.length ? cert.subjectAltNames.map(formatSan) : '(empty)' });
  if (cert.keyUsage) fields.push({ label: 'Key Usage', value: cert.keyUsage.join(', ') || '(none)' });
  if (cert.extendedKeyUsage) fields.push({ label: 'Extended Key Usage', value: cert.extendedKeyUsage.join(', ') || '(none)' });
  if (cert.basicConstraints) {
    const bc = cert.basicConstraints;
    fields.push({
      label: 'Basic Constraints',
      value: `CA:${bc.ca ? 'TRUE' : 'FALSE'}${bc.pathLen !== undefined ? `, pathLen:${bc.pathLen}` : ''}${bc.critical ? ' (critical)' : ''}`,
    });
  }
  fields.push(
    { label: 'Key', value: cert.publicKey.description },
    { label: 'Signature', value: cert.signatureAlgorithm },
    { label: 'Serial', value: cert.serial },
    { label: 'Version', value: `v${cert.version}` },
  );
  if (cert.subjectKeyId) fields.push({ label: 'Subject Key ID', value: cert.subjectKeyId });
  if (cert.authorityKeyId) fields.push({ label: 'Authority Key ID', value: cert.authorityKeyId });
  const others = cert.extensions.filter((e) => !['2.5.29.17', '2.5.29.15', '2.5.29.37', '2.5.29.19', '2.5.29.14', '2.5.29.35'].includes(e.oid));
  if (others.length) fields.push({ label: 'Other extensions', value: others.map((e) => `${e.name}${e.critical ? ' (critical)' : ''}`) });
  fields.push(
    { label: 'SHA-256 fingerprint', value: cert.sha256 },
    { label: 'SHA-1 fingerprint', value: cert.sha1 },
    // The same line a key and a CSR show: a certificate and its key compare by eye.
    { label: 'Public key SHA-256', value: cert.publicKey.spkiSha256 },
  );

  const findings: Finding[] = [];
  const status = expiryStatus(cert, at, warningDays);
  if (status) findings.push({ level: status === 'ok' ? 'ok' : status === 'expiring' ? 'warning' : 'error', text: expiryPhrase(cert, at) });
  if (isSelfSigned(cert)) findings.push({ level: 'info', text: 'self-signed' });
  // A key Go refuses verifies nothing, not even its own certificate (the key's finding says why).
  else if (cert.selfIssued && unusableRsaKey(cert.spki))
    findings.push({ level: 'warning', text: 'self-issued; its signature is not checked, as its key cannot be used' });
  else if (cert.selfIssued) findings.push({ level: 'warning', text: 'self-issued, but its signature does not verify with its own key' });
  // A root Go accepts and openssl -x509_strict refuses (a v1 root, an empty subject): a note, not a fault.
  const notStrict = isSelfSigned(cert) && checkRootUsable(cert).ok ? rootStrictnessViolations(cert) : [];
  if (notStrict.length > 0) findings.push({ level: 'info', text: `as a trust anchor: ${ROOT_NOT_STRICT} (${notStrict.join('; ')})` });
  else if (cert.basicConstraints?.ca) {
    const usable = checkCaUsable(cert);
    findings.push(usable.ok ? { level: 'info', text: 'CA: can sign certificates' } : { level: 'warning', text: usable.reasons.join('; ') });
  }
  const cn = commonName(cert.subject);
  if (cn === undefined && cert.subject.rdns.length > 0) findings.push({ level: 'info', text: 'no CN in the subject' });
  findings.push(...problemFindings(cert.problems));
  return { title: titleOf(cert), fields, findings };
}

function describeCsr(csr: CsrInfo): Description {
  const fields: Field[] = [{ label: 'Subject', value: csr.subject.text || '(empty)' }];
  if (csr.requestedSubjectAltNames) fields.push({ label: 'Requested SANs', value: csr.requestedSubjectAltNames.map(formatSan) });
  if (csr.requestedKeyUsage) fields.push({ label: 'Requested Key Usage', value: csr.requestedKeyUsage.join(', ') });
  if (csr.requestedExtendedKeyUsage) fields.push({ label: 'Requested Extended Key Usage', value: csr.requestedExtendedKeyUsage.join(', ') });
  const others = csr.requestedExtensions.filter((e) => !['2.5.29.17', '2.5.29.15', '2.5.29.37'].includes(e.oid));
  if (others.length) fields.push({ label: 'Other requested extensions', value: others.map((e) => `${e.name}${e.critical ? ' (critical)' : ''}`) });
  fields.push(
    { label: 'Key', value: csr.publicKey.description },
    { label: 'Signature', value: csr.signatureAlgorithm },
    { label: 'Public key SHA-256', value: csr.publicKey.spkiSha256 },
  );
  const findings: Finding[] = [];
  if (csr.signatureValid === true) findings.push({ level: 'ok', text: 'signed by its own key (proof of possession)' });
  findings.push(...problemFindings(csr.problems));
  return { title: titleOf(csr), fields, findings };
}

// A description line says `info` where the engine says `information`: the inspect JSON and the preview always have.
function problemFindings(problems: Problem[]): Finding[] {
  return problems.map((p) => ({ level: p.severity === 'information' || p.severity === 'hint' ? 'info' : p.severity, text: p.message }));
}

function isoOrInvalid(d: Date): string {
  return Number.isNaN(d.getTime()) ? '(invalid date)' : d.toISOString().replace('.000Z', 'Z');
}
