import { nodeReferences } from '../check/clusterModel';
import { checkPurpose } from '../verify/purpose';
import { Rule } from './rule';

/** etcd peers are both servers and clients of each other. */
const NEEDS_BOTH = new Set(['--peer-cert-file']);

export const ekuMissing: Rule = {
  meta: {
    code: 'eku-missing',
    severity: 'error',
    description: 'A certificate used as a TLS server lacks serverAuth, or one used as a client lacks clientAuth.',
    docs: 'docs/rules/eku-missing.md',
    fixable: false,
    options: [],
  },
  check(ctx, report) {
    for (const ref of ctx.nodes.flatMap(nodeReferences)) {
      if (ref.role !== 'serving-cert' && ref.role !== 'client-cert') continue;
      const cert = ctx.ok(ref)?.certs[0];
      if (!cert) continue;
      const purposes: Array<'server' | 'client'> = NEEDS_BOTH.has(ref.spec.name) ? ['server', 'client'] : [ref.role === 'serving-cert' ? 'server' : 'client'];
      for (const purpose of purposes) {
        const verdict = checkPurpose(cert, purpose);
        if (!verdict.ok) report(ref, `${ctx.describe(ref)} is used as a TLS ${purpose} but its ${verdict.reasons[0]}`);
      }
    }
  },
};
