import { nodeReferences } from '../check/clusterModel';
import { Rule } from './rule';

const WEAK_CODES = new Set(['weak-key', 'weak-signature']);

export const weakKey: Rule = {
  code: 'weak-key',
  severity: 'warning',
  description: 'A referenced key is RSA below 2048 bits (or otherwise weak), or a certificate is signed with SHA-1 or MD5.',
  check(ctx, report) {
    for (const ref of ctx.nodes.flatMap(nodeReferences)) {
      const target = ctx.ok(ref);
      if (!target) continue;
      const objects = [...(ref.role === 'client-ca' || ref.role === 'server-ca' ? target.certs : target.certs.slice(0, 1)), ...(target.privateKey ? [target.privateKey] : [])];
      const problems = [...new Set(objects.flatMap((o) => o.problems.filter((p) => WEAK_CODES.has(p.code)).map((p) => p.message)))];
      if (problems.length > 0) report(ref, `${ctx.describe(ref)}: ${problems.join('; ')}`);
    }
  },
};
