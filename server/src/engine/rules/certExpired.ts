import { daysBetween, expiryStatus } from '../verify/validity';
import { day, eachCertificate, renewFix, subjectOf } from './certificateDates';
import type { Report, Rule } from './rule';

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
        `${label()} expired ${days === 0 ? 'today' : `${days} day${days === 1 ? '' : 's'} ago`} (${subjectOf(cert)}, notAfter ${day(cert.notAfter)})`,
        renewFix(ctx, at, cert),
      );
    });
  },
};
