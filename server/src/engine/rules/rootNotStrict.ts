import { nodeReferences } from '../check/clusterModel';
import { checkRootUsable, isSelfSigned, ROOT_NOT_STRICT, rootStrictnessViolations } from '../verify/caUsable';
import { Rule } from './rule';

export const rootNotStrict: Rule = {
  meta: {
    code: 'root-not-strict',
    severity: 'information',
    description: 'A root in a CA file that Kubernetes (Go) accepts and openssl verify -x509_strict rejects: a v1 root, or an empty subject.',
    docs: 'docs/rules/root-not-strict.md',
    fixable: false,
    options: [],
  },
  check(ctx, report) {
    for (const ref of ctx.nodes.flatMap(nodeReferences)) {
      if (ref.role !== 'client-ca' && ref.role !== 'server-ca') continue;
      for (const cert of ctx.ok(ref)?.certs ?? []) {
        // A root Go refuses is not-a-ca's; only what Go accepts is a note here.
        if (!isSelfSigned(cert) || !checkRootUsable(cert).ok) continue;
        const strictness = rootStrictnessViolations(cert);
        if (strictness.length > 0) report(ref, `${ctx.describe(ref)}: ${ROOT_NOT_STRICT}: ${strictness.join('; ')} (${cert.subject.text || 'empty subject'})`);
      }
    }
  },
};
