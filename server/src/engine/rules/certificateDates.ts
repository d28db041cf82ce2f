// What the three validity rules (cert-expired, cert-not-yet-valid, cert-expiring-soon) share: which
// certificates a check dates, where each is reported, and the renewal a finding offers.
import { nodeReferences } from '../check/clusterModel';
import type { FixSpec } from '../check/fixSpec';
import type { RuleContext } from '../check/ruleContext';
import { reissueFix } from '../fix/reissue';
import { CERTIFICATE_ROLES } from '../kube/flagTable';
import { valueLabel } from '../kube/kinds';
import type { Reference } from '../kube/reference';
import { getOrMake } from '../memo';
import type { CertificateInfo } from '../pki/certificate';
import type { Range } from '../text/lineIndex';
import { certificatesOf, placeOf } from './objectValues';
import type { RuleOption } from './rule';
import { standaloneCertificates } from './standalone';

/** The certificates a reference vouches for: the leaf of a cert file, every certificate of a CA bundle. */
function certificatesToDate(ctx: RuleContext, ref: Reference): CertificateInfo[] {
  const target = ctx.ok(ref);
  if (!target || !CERTIFICATE_ROLES.has(ref.role)) return [];
  const bundle = ref.role === 'client-ca' || ref.role === 'server-ca';
  return bundle ? target.certs : target.certs.slice(0, 1);
}

export type Place = Reference | { file: string; range: Range };

/** Renewing a leaf: same subject, SANs, usages and key, as `kubeadm certs renew`. CA bundles are not renewed here. */
export function renewFix(ctx: RuleContext, at: Place, cert: CertificateInfo): FixSpec | undefined {
  if (!('spec' in at) || at.role === 'client-ca' || at.role === 'server-ca') return undefined;
  return reissueFix(ctx, at, cert, `Renew ${ctx.describe(at).split(' ')[0]}`);
}

/** A certificate a validity rule dates: where it is reported, and its label, made only for one reported. */
interface DatedCertificate {
  at: Place;
  cert: CertificateInfo;
  label: () => string;
}

// The three validity rules date the same certificates: found once per check.
const datedOfCheck = new WeakMap<RuleContext, DatedCertificate[]>();

/** Every certificate a reference names, then those of API objects' values, then every certificate of PEM files nothing names. */
function datedCertificates(ctx: RuleContext): DatedCertificate[] {
  const dated: DatedCertificate[] = [];
  for (const ref of ctx.nodes.flatMap(nodeReferences)) {
    const certs = certificatesToDate(ctx, ref);
    certs.forEach((cert, i) =>
      dated.push({ at: ref, cert, label: () => (certs.length > 1 ? `${ctx.describe(ref)} certificate ${i + 1}` : ctx.describe(ref)) }),
    );
  }
  for (const value of ctx.objects.values()) {
    const certs = certificatesOf(ctx, value);
    certs.forEach((cert, i) =>
      dated.push({ at: placeOf(value), cert, label: () => (certs.length > 1 ? `${valueLabel(value)} certificate ${i + 1}` : valueLabel(value)) }),
    );
  }
  for (const { file, range, cert, label } of standaloneCertificates(ctx)) dated.push({ at: { file, range }, cert, label: () => label });
  return dated;
}

/** Visits every certificate the validity rules date (datedCertificates), in that order. */
export function eachCertificate(ctx: RuleContext, visit: (at: Place, cert: CertificateInfo, label: () => string) => void): void {
  for (const { at, cert, label } of getOrMake(datedOfCheck, ctx, () => datedCertificates(ctx))) visit(at, cert, label);
}

/** The warning window of cert-expiring-soon. */
export const EXPIRY_WARNING_DAYS: RuleOption = {
  name: 'expiryWarningDays',
  cli: '--expiry-warning',
  setting: 'kubePki.expiryWarningDays',
  description: 'Warn when a certificate expires within this many days.',
  default: 30,
};

export const subjectOf = (cert: CertificateInfo) => cert.subject.text || 'empty subject';
export const day = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
