import { isIP } from 'node:net';
import type { CertificateInfo } from '../pki/certificate';
import { commonName } from '../pki/distinguishedName';
import { fail, pass, Verdict } from './verdict';

/** Canonical text of an IP address (IPv6 compressed, lower case), via the WHATWG URL parser. */
export function canonicalIp(ip: string): string | undefined {
  const family = isIP(ip);
  if (family === 4)
    return ip
      .split('.')
      .map((p) => String(Number(p)))
      .join('.');
  if (family === 6) {
    try {
      return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function normaliseDns(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/**
 * Does a SAN DNS pattern match a host? Exact (case-insensitive), or a wildcard
 * that is the whole leftmost label and stands for exactly one label, as Go's
 * crypto/x509 and RFC 6125 6.4.3 allow. No partial-label wildcards.
 */
export function dnsPatternMatches(pattern: string, host: string): boolean {
  const p = normaliseDns(pattern);
  const h = normaliseDns(host);
  if (p === '' || h === '') return false;
  if (!p.includes('*')) return p === h;
  const patternLabels = p.split('.');
  const hostLabels = h.split('.');
  if (patternLabels[0] !== '*' || patternLabels.slice(1).some((l) => l.includes('*'))) return false;
  if (patternLabels.length < 2 || patternLabels.length !== hostLabels.length) return false;
  if (patternLabels.slice(1).some((l) => l === '')) return false;
  return patternLabels.slice(1).every((label, i) => label === hostLabels[i + 1]);
}

/** Does the certificate's SAN cover this DNS name? The CN is never used (Go stopped in 1.15). */
export function matchHostname(cert: CertificateInfo, host: string): Verdict {
  if (canonicalIp(host) !== undefined) return matchIp(cert, host);
  const dnsNames = (cert.subjectAltNames ?? []).filter((s) => s.type === 'DNS').map((s) => s.value);
  const hit = dnsNames.find((pattern) => dnsPatternMatches(pattern, host));
  if (hit !== undefined) return pass(`SAN DNS:${hit} matches ${host}`);
  return fail(
    missingNameReason(
      cert,
      `DNS name ${host}`,
      dnsNames.map((n) => `DNS:${n}`),
    ),
  );
}

/** Does the certificate's SAN hold this IP address (IPv4 or IPv6, compared canonically)? */
export function matchIp(cert: CertificateInfo, ip: string): Verdict {
  const wanted = canonicalIp(ip);
  if (wanted === undefined) return fail(`"${ip}" is not an IP address`);
  const ips = (cert.subjectAltNames ?? []).filter((s) => s.type === 'IP').map((s) => s.value);
  if (ips.some((value) => canonicalIp(value) === wanted)) return pass(`SAN IP:${wanted} matches`);
  const dnsLookalike = (cert.subjectAltNames ?? []).some((s) => s.type === 'DNS' && canonicalIp(s.value) === wanted);
  const reason = missingNameReason(
    cert,
    `IP address ${wanted}`,
    ips.map((n) => `IP:${n}`),
  );
  return fail(dnsLookalike ? `${reason}; ${wanted} appears as a DNS SAN, which never matches an IP address` : reason);
}

function missingNameReason(cert: CertificateInfo, what: string, present: string[]): string {
  if (!cert.subjectAltNames || cert.subjectAltNames.length === 0) {
    const cn = commonName(cert.subject);
    return `missing SAN ${what}: the certificate has no Subject Alternative Names${cn ? ` (its CN "${cn}" is not used for name checks)` : ''}`;
  }
  return `missing SAN ${what} (the certificate has ${present.length > 0 ? present.join(', ') : 'no names of that type'})`;
}
