import { valueLabel } from '../kube/kinds';
import { checkIssuedBy } from '../verify/issuedBy';
import { placeOf } from './objectValues';
import { Rule } from './rule';

const subject = (cert: { subject: { text: string } }) => cert.subject.text || 'empty subject';

export const chainOrder: Rule = {
  meta: {
    code: 'chain-order',
    severity: 'error',
    description: "A Secret's tls.crt chain is out of order: the leaf is not first, or a certificate is not followed by its issuer.",
    docs: 'docs/rules/chain-order.md',
    fixable: false,
    options: [],
  },
  check(ctx, report) {
    for (const value of ctx.objects.values()) {
      if (value.key !== 'tls.crt') continue;
      const certs = ctx.objects.ok(value)?.certs ?? [];
      if (certs.length < 2) continue;
      // One fault, one finding: a leaf found after a CA says it all; else the first link that does not chain.
      const leaf = certs.findIndex((c) => !c.basicConstraints?.ca);
      if (leaf > 0) {
        report(
          placeOf(value),
          `${valueLabel(value)}: the leaf (${subject(certs[leaf])}) is certificate ${leaf + 1}, not the first; TLS servers send the first as their own`,
        );
        continue;
      }
      for (let i = 0; i + 1 < certs.length; i++) {
        const verdict = checkIssuedBy(certs[i], certs[i + 1]);
        if (verdict.ok) continue;
        report(
          placeOf(value),
          `${valueLabel(value)}: certificate ${i + 2} (${subject(certs[i + 1])}) does not issue certificate ${i + 1} (${subject(certs[i])}): ${verdict.reasons.join('; ')}`,
        );
        break;
      }
    }
  },
};
