import { nodeReferences } from '../check/clusterModel';
import { checkCaUsable, checkRootUsable, isSelfSigned } from '../verify/caUsable';
import { Rule } from './rule';

export const notACa: Rule = {
  meta: {
    code: 'not-a-ca',
    severity: 'error',
    description: 'A file used as a CA (client CA, server CA, signing certificate) is not a CA certificate.',
    docs: 'docs/rules/not-a-ca.md',
    fixable: false,
    options: [],
  },
  check(ctx, report) {
    for (const ref of ctx.nodes.flatMap(nodeReferences)) {
      if (ref.role !== 'client-ca' && ref.role !== 'server-ca' && ref.role !== 'signing-cert') continue;
      for (const cert of ctx.ok(ref)?.certs ?? []) {
        // A root in a CA file is judged as Go judges it (a v1 root passes; root-not-strict notes it); a signing CA and a non-root stay strict.
        // Talos's CAs are roots its own Go code signs with: an empty subject (its aggregator CA before 1.7) is Go's business, and Go accepts it.
        const asRoot = (ref.role !== 'signing-cert' || ref.component === 'talos') && isSelfSigned(cert);
        const verdict = asRoot ? checkRootUsable(cert) : checkCaUsable(cert);
        if (!verdict.ok)
          report(
            ref,
            `${ctx.describe(ref)} is used as a CA but ${verdict.reasons.map((r) => r.replace(/^.* cannot act as a CA: /, '')).join('; ')} (${cert.subject.text || 'empty subject'})`,
          );
      }
    }
  },
};
