import type { CertificateInfo } from '../pki/certificate';
import { EKU_ANY, EKU_CLIENT_AUTH, EKU_SERVER_AUTH } from '../pki/oids';
import { fail, pass, Verdict } from './verdict';

export type Purpose = 'server' | 'client';

const EKU_FOR: Record<Purpose, { oid: string; name: string }> = {
  server: { oid: EKU_SERVER_AUTH, name: 'serverAuth' },
  client: { oid: EKU_CLIENT_AUTH, name: 'clientAuth' },
};

/** May this certificate be used for TLS server / client authentication? No EKU means any purpose (RFC 5280 4.2.1.12). */
export function checkPurpose(cert: CertificateInfo, purpose: Purpose): Verdict {
  const wanted = EKU_FOR[purpose];
  const ekus = cert.extendedKeyUsageOids;
  if (ekus === undefined) return pass(`no Extended Key Usage extension: usable for ${wanted.name}`);
  if (ekus.includes(wanted.oid)) return pass(`Extended Key Usage includes ${wanted.name}`);
  if (ekus.includes(EKU_ANY)) return pass('Extended Key Usage includes anyExtendedKeyUsage');
  return fail(`Extended Key Usage lacks ${wanted.name} (it has ${cert.extendedKeyUsage?.join(', ') || 'nothing'})`);
}
