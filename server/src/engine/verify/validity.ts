import type { CertificateInfo } from '../pki/certificate';
import { fail, pass, Verdict } from './verdict';

const DAY_MS = 86_400_000;

/** The expiry warning window when none is configured (kubePki.expiryWarningDays, `check --expiry-warning`). */
export const DEFAULT_EXPIRY_WARNING_DAYS = 30;

export type ExpiryStatus = 'ok' | 'expiring' | 'expired' | 'not-yet-valid';

/**
 * Where a certificate stands at `at`: expiring when its notAfter is at most
 * `warningDays` away. The one judgement behind the expiry rules, the PEM
 * diagnostics and hover, and the PKI tree, so the same window gives the same
 * answer everywhere. Undefined when its notAfter cannot be read.
 */
export function expiryStatus(cert: CertificateInfo, at: Date, warningDays: number = DEFAULT_EXPIRY_WARNING_DAYS): ExpiryStatus | undefined {
  const t = at.getTime();
  const notAfter = cert.notAfter.getTime();
  if (Number.isNaN(notAfter)) return undefined;
  if (t > notAfter) return 'expired';
  if (t < cert.notBefore.getTime()) return 'not-yet-valid';
  return notAfter - t <= warningDays * DAY_MS ? 'expiring' : 'ok';
}

/** Certificate times have one-second precision: compare at the same precision (RFC 5280 4.1.2.5). */
function truncateToSecond(at: Date): number {
  return Math.floor(at.getTime() / 1000) * 1000;
}

/** Whole days from `at` until `until` (negative when in the past). */
export function daysBetween(at: Date, until: Date): number {
  return Math.floor((until.getTime() - at.getTime()) / DAY_MS);
}

/** Is the certificate valid at the instant? notBefore and notAfter are both inclusive. */
export function checkValidity(cert: CertificateInfo, at: Date): Verdict {
  const t = truncateToSecond(at);
  if (Number.isNaN(cert.notBefore.getTime()) || Number.isNaN(cert.notAfter.getTime())) {
    return fail('its validity dates cannot be read');
  }
  if (t < cert.notBefore.getTime()) {
    return fail(`not valid yet: valid from ${cert.notBefore.toISOString()} (${describeDays(daysBetween(at, cert.notBefore))} from ${at.toISOString()})`);
  }
  if (t > cert.notAfter.getTime()) {
    const days = daysBetween(cert.notAfter, at);
    return fail(
      `expired on ${cert.notAfter.toISOString()} (${days === 0 ? 'less than a day' : `${days} day${days === 1 ? '' : 's'}`} before ${at.toISOString()})`,
    );
  }
  return pass(`valid until ${cert.notAfter.toISOString()} (${expiryPhrase(cert, at)})`);
}

/** "expires in 341 days", "EXPIRED 3 days ago", "not valid for 2 more days". */
export function expiryPhrase(cert: CertificateInfo, at: Date): string {
  if (Number.isNaN(cert.notAfter.getTime())) return 'validity unreadable';
  if (at.getTime() < cert.notBefore.getTime()) return `not valid for ${describeDays(daysBetween(at, cert.notBefore))}`;
  const left = daysBetween(at, cert.notAfter);
  if (cert.notAfter.getTime() < truncateToSecond(at)) {
    const ago = daysBetween(cert.notAfter, at);
    return ago === 0 ? 'EXPIRED today' : `EXPIRED ${ago} day${ago === 1 ? '' : 's'} ago`;
  }
  return left === 0 ? 'expires within a day' : `expires in ${left} day${left === 1 ? '' : 's'}`;
}

function describeDays(days: number): string {
  return days === 0 ? 'less than a day' : `${days} day${days === 1 ? '' : 's'}`;
}
