import type { CertificateInfo } from '../pki/certificate';
import { fail, pass, Verdict } from './verdict';

/**
 * Can this certificate sign other certificates? basicConstraints CA:TRUE is
 * required (a v1 certificate has none), keyCertSign when Key Usage is present,
 * and a non-empty subject (RFC 5280 4.1.2.6).
 */
export function checkCaUsable(cert: CertificateInfo): Verdict {
  const reasons: string[] = [];
  if (!cert.basicConstraints) reasons.push('it has no basicConstraints extension, so it is not a CA (RFC 5280 4.2.1.9)');
  else if (!cert.basicConstraints.ca) reasons.push('its basicConstraints says CA:FALSE');
  if (cert.keyUsage && !cert.keyUsage.includes('keyCertSign'))
    reasons.push(`its Key Usage lacks keyCertSign (it has ${cert.keyUsage.join(', ') || 'nothing'})`);
  if (cert.subject.rdns.length === 0) reasons.push('its subject is empty, which a CA may not have (RFC 5280 4.1.2.6)');
  if (reasons.length > 0) return fail(...reasons.map((r) => `${cert.subject.text || '(empty subject)'} cannot act as a CA: ${r}`));
  const pathLen = cert.basicConstraints?.pathLen;
  return pass(`${cert.subject.text} is a CA${pathLen !== undefined ? ` (pathLen ${pathLen})` : ''}`);
}
