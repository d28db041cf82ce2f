import type { CertificateInfo } from '../pki/certificate';
import { rootStrictnessViolations } from './caUsable';

const SUBJECT_ALT_NAME = '2.5.29.17';

/**
 * RFC 5280 rules Go (Kubernetes) does not enforce and openssl verify -x509_strict
 * does: `kube-pki verify` lists them as warnings, and `--strict` rejects on them.
 * `anchor`: the certificate is the trust anchor of the chain (its own strictness: a v1 root, an empty subject).
 */
export function rfc5280Violations(cert: CertificateInfo, anchor: boolean): string[] {
  const found: string[] = [];
  const ca = cert.basicConstraints?.ca === true;
  if (cert.keyUsage?.includes('keyCertSign') && !ca) found.push('asserts keyCertSign in its Key Usage without basicConstraints CA:TRUE (RFC 5280 4.2.1.3)');
  if (ca && cert.basicConstraints && !cert.basicConstraints.critical)
    found.push("its basicConstraints is not critical, which a CA's must be (RFC 5280 4.2.1.9)");
  const san = cert.extensions.find((e) => e.oid === SUBJECT_ALT_NAME);
  if (san && !san.critical && cert.subject.rdns.length === 0)
    found.push('its subject is empty but its subjectAltName extension is not critical (RFC 5280 4.2.1.6)');
  for (const name of cert.subjectAltNames ?? []) {
    if (name.type === 'DNS' && name.value.includes('_'))
      found.push(`its DNS name "${name.value}" holds an underscore, which a host name may not (RFC 5280 4.2.1.6, the preferred name syntax of RFC 1034)`);
  }
  if (anchor) found.push(...rootStrictnessViolations(cert).map((r) => `as a trust anchor, ${r}`));
  return found;
}
