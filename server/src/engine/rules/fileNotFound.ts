import { posix } from 'node:path';
import { nodeReferences } from '../check/clusterModel';
import { Rule } from './rule';

export const fileNotFound: Rule = {
  code: 'file-not-found',
  severity: 'error',
  description: 'A flag or field names a certificate, key, CA bundle or kubeconfig that does not exist in the checked tree.',
  check(ctx, report) {
    for (const ref of ctx.nodes.flatMap(nodeReferences)) {
      const target = ctx.target(ref);
      if (target.status !== 'missing') continue;
      const shown = posix.relative(ctx.workspace.boundary, target.path) || target.path;
      report(ref, `${ref.value} (${ref.name}) does not exist: looked for ${shown}`);
    }
  },
};
