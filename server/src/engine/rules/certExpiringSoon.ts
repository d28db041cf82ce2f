import { daysBetween, expiryStatus } from '../verify/validity';
import { day, EXPIRY_WARNING_DAYS, eachCertificate, renewFix, subjectOf } from './certificateDates';
import type { Rule } from './rule';

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
      report(at, `${label()} expires in ${days} day${days === 1 ? '' : 's'} (${subjectOf(cert)}, notAfter ${day(cert.notAfter)})`, renewFix(ctx, at, cert));
    });
  },
};
