import type { CertificateInfo } from './certificate';

// A certificate's fields in the shapes generation takes: what a re-issue keeps.

export function subjectPairs(cert: CertificateInfo): Array<[string, string]> {
  return cert.subject.rdns.flat().map((a) => [a.type, a.value]);
}

export function usagesOf(cert: CertificateInfo): Array<'serverAuth' | 'clientAuth'> {
  return (cert.extendedKeyUsage ?? []).filter((u): u is 'serverAuth' | 'clientAuth' => u === 'serverAuth' || u === 'clientAuth');
}

export function sansOf(cert: CertificateInfo): string[] {
  return (cert.subjectAltNames ?? []).filter((s) => s.type === 'DNS' || s.type === 'IP').map((s) => s.value);
}
