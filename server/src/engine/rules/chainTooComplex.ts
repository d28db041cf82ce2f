import { trustEdges } from './caMismatch';
import { Rule } from './rule';

export const chainTooComplex: Rule = {
  meta: {
    code: 'chain-too-complex',
    severity: 'warning',
    description:
      "Building the chain of a trust edge gave up after 100 signature checks (Go's limit): too many candidate issuers share a name, so the edge is neither confirmed nor refuted.",
    docs: 'docs/rules/chain-too-complex.md',
    fixable: false,
    options: [],
  },
  check(ctx, report) {
    for (const { leafRef, caRef, reportOn, verdict } of trustEdges(ctx)) {
      if (!verdict.tooComplex) continue;
      report(
        reportOn === 'leaf' ? leafRef : caRef,
        `${ctx.describe(leafRef)} against ${ctx.describe(caRef)}: ${verdict.reason}; Go gives up the same way and rejects the connection`,
      );
    }
  },
};
