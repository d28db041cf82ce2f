import { day, eachCertificate, subjectOf } from './certificateDates';
import type { Rule } from './rule';

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
      report(at, `${label()} is not valid until ${day(cert.notBefore)} (${subjectOf(cert)}; a clock or generation-time problem)`);
    });
  },
};
