import type { CertificateInfo } from '../pki/certificate';
import { checkSignature } from './issuedBy';
import { fail, pass, Verdict } from './verdict';

/**
 * Can this certificate sign other certificates? basicConstraints CA:TRUE is
 * required (a v1 certificate has none), keyCertSign when Key Usage is present,
 * and a non-empty subject (RFC 5280 4.1.2.6). This is the strict judgement
 * (openssl verify -x509_strict), and Go's for an intermediate.
 */
export function checkCaUsable(cert: CertificateInfo): Verdict {
  return caVerdict(cert, caViolations(cert));
}

/**
 * Go's judgement of a trust anchor that signed the certificate below it: only
 * CheckSignatureFrom's test (crypto/x509/x509.go): a v3 certificate needs
 * CA:TRUE, and keyCertSign when Key Usage is present. A v1 (or v2) root passes, and an
 * empty subject does not matter (isValid checks neither for a root).
 */
export function checkRootUsable(cert: CertificateInfo): Verdict {
  const strictOnly = new Set(rootStrictnessViolations(cert));
  return caVerdict(
    cert,
    caViolations(cert).filter((r) => !strictOnly.has(r)),
  );
}

/** What `root-not-strict` and the hover say of such a root. */
export const ROOT_NOT_STRICT = 'openssl verify -x509_strict rejects this root; Kubernetes accepts it';

/** What RFC 5280 (openssl verify -x509_strict) refuses in a trust anchor and Go accepts: a v1 root, an empty subject. */
export function rootStrictnessViolations(cert: CertificateInfo): string[] {
  const reasons: string[] = [];
  if (!cert.basicConstraints && cert.version !== 3) reasons.push(NO_BASIC_CONSTRAINTS);
  if (cert.subject.rdns.length === 0) reasons.push(EMPTY_SUBJECT);
  return reasons;
}

/** Is the certificate a root: self-issued, and its signature verifies with its own key? */
export function isSelfSigned(cert: CertificateInfo): boolean {
  return cert.selfIssued && checkSignature(cert, cert).ok;
}

const NO_BASIC_CONSTRAINTS = 'it has no basicConstraints extension, so it is not a CA (RFC 5280 4.2.1.9)';
const EMPTY_SUBJECT = 'its subject is empty, which a CA may not have (RFC 5280 4.1.2.6)';

function caViolations(cert: CertificateInfo): string[] {
  const reasons: string[] = [];
  if (!cert.basicConstraints) reasons.push(NO_BASIC_CONSTRAINTS);
  else if (!cert.basicConstraints.ca) reasons.push('its basicConstraints says CA:FALSE');
  if (cert.keyUsage && !cert.keyUsage.includes('keyCertSign'))
    reasons.push(`its Key Usage lacks keyCertSign (it has ${cert.keyUsage.join(', ') || 'nothing'})`);
  if (cert.subject.rdns.length === 0) reasons.push(EMPTY_SUBJECT);
  return reasons;
}

function caVerdict(cert: CertificateInfo, reasons: string[]): Verdict {
  if (reasons.length > 0) return fail(...reasons.map((r) => `${cert.subject.text || '(empty subject)'} cannot act as a CA: ${r}`));
  const pathLen = cert.basicConstraints?.pathLen;
  return pass(`${cert.subject.text || '(empty subject)'} is a CA${pathLen !== undefined ? ` (pathLen ${pathLen})` : ''}`);
}
