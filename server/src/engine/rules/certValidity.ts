import { nodeReferences } from '../check/clusterModel';
import type { FixSpec } from '../check/fixSpec';
import type { RuleContext } from '../check/ruleContext';
import { reissueFix } from '../fix/reissue';
import { CERTIFICATE_ROLES } from '../kube/flagTable';
import type { Reference } from '../kube/reference';
import type { CertificateInfo } from '../pki/certificate';
import type { Range } from '../text/lineIndex';
import { daysBetween, expiryStatus } from '../verify/validity';
import { Report, Rule, RuleOption } from './rule';
import { standaloneCertificates } from './standalone';

/** The certificates a reference vouches for: the leaf of a cert file, every certificate of a CA bundle. */
function certificatesToDate(ctx: RuleContext, ref: Reference): CertificateInfo[] {
  const target = ctx.ok(ref);
  if (!target || !CERTIFICATE_ROLES.has(ref.role)) return [];
  const bundle = ref.role === 'client-ca' || ref.role === 'server-ca';
  return bundle ? target.certs : target.certs.slice(0, 1);
}

type Place = Reference | { file: string; range: Range };

/** Renewing a leaf: same subject, SANs, usages and key, as `kubeadm certs renew`. CA bundles are not renewed here. */
function renewFix(ctx: RuleContext, at: Place, cert: CertificateInfo): FixSpec | undefined {
  if (!('spec' in at) || at.role === 'client-ca' || at.role === 'server-ca') return undefined;
  return reissueFix(ctx, at, cert, `Renew ${ctx.describe(at).split(' ')[0]}`);
}

/** Every certificate a reference names, then every certificate of PEM files nothing names. */
function eachCertificate(ctx: RuleContext, visit: (at: Place, cert: CertificateInfo, label: string) => void): void {
  for (const ref of ctx.nodes.flatMap(nodeReferences)) {
    const certs = certificatesToDate(ctx, ref);
    certs.forEach((cert, i) => visit(ref, cert, certs.length > 1 ? `${ctx.describe(ref)} certificate ${i + 1}` : ctx.describe(ref)));
  }
  for (const { file, range, cert, label } of standaloneCertificates(ctx)) visit({ file, range }, cert, label);
}

/** The warning window of cert-expiring-soon. */
const EXPIRY_WARNING_DAYS: RuleOption = {
  name: 'expiryWarningDays',
  cli: '--expiry-warning',
  setting: 'kubePki.expiryWarningDays',
  description: 'Warn when a certificate expires within this many days.',
  default: 30,
};

const subjectOf = (cert: CertificateInfo) => cert.subject.text || 'empty subject';
const day = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const certExpired: Rule = {
  meta: {
    code: 'cert-expired',
    severity: 'error',
    description: "A referenced certificate's notAfter is in the past.",
    docs: 'docs/rules/cert-expired.md',
    fixable: true,
    options: [],
  },
  check(ctx, report: Report) {
    eachCertificate(ctx, (at, cert, label) => {
      if (expiryStatus(cert, ctx.now, ctx.options.expiryWarningDays) !== 'expired') return;
      const days = daysBetween(cert.notAfter, ctx.now);
      report(
        at,
        `${label} expired ${days === 0 ? 'today' : `${days} day${days === 1 ? '' : 's'} ago`} (${subjectOf(cert)}, notAfter ${day(cert.notAfter)})`,
        renewFix(ctx, at, cert),
      );
    });
  },
};

export const certNotYetValid: Rule = {
  meta: {
    code: 'cert-not-yet-valid',
    severity: 'error',
    description: "A referenced certificate's notBefore is in the future.",
    docs: 'docs/rules/cert-not-yet-valid.md',
    fixable: false,
    options: [],
  },
  check(ctx, report) {
    eachCertificate(ctx, (at, cert, label) => {
      if (ctx.now.getTime() >= cert.notBefore.getTime()) return;
      report(at, `${label} is not valid until ${day(cert.notBefore)} (${subjectOf(cert)}; a clock or generation-time problem)`);
    });
  },
};

export const certExpiringSoon: Rule = {
  meta: {
    code: 'cert-expiring-soon',
    severity: 'warning',
    description: 'A referenced certificate expires within the warning window (30 days by default).',
    docs: 'docs/rules/cert-expiring-soon.md',
    fixable: true,
    options: [EXPIRY_WARNING_DAYS],
  },
  check(ctx, report) {
    eachCertificate(ctx, (at, cert, label) => {
      if (expiryStatus(cert, ctx.now, ctx.options.expiryWarningDays) !== 'expiring') return;
      const days = daysBetween(ctx.now, cert.notAfter);
      report(at, `${label} expires in ${days} day${days === 1 ? '' : 's'} (${subjectOf(cert)}, notAfter ${day(cert.notAfter)})`, renewFix(ctx, at, cert));
    });
  },
};
