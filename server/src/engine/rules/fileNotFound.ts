import { posix } from 'node:path';
import { nodeReferences } from '../check/clusterModel';
import { createMissingFix } from '../fix/createMissing';
import { outsideTree } from '../kube/nodePaths';
import { Rule } from './rule';

export const fileNotFound: Rule = {
  meta: {
    code: 'file-not-found',
    severity: 'error',
    description: 'A flag or field names a certificate, key, CA bundle or kubeconfig that does not exist in the checked tree.',
    docs: 'docs/rules/file-not-found.md',
    fixable: true,
    options: [],
  },
  check(ctx, report) {
    for (const node of ctx.nodes) {
      for (const ref of nodeReferences(node)) {
        const target = ctx.target(ref);
        if (target.status !== 'missing') continue;
        if (outsideTree(target.path, { boundary: ctx.workspace.boundary, root: ctx.options.root })) {
          // Never read, never written: no fix that would create a file out there.
          report(ref, `${ref.value} (${ref.name}) leads to ${target.path}, outside the checked folder: kube-pki does not read files there`);
          continue;
        }
        const shown = posix.relative(ctx.workspace.boundary, target.path) || target.path;
        report(ref, `${ref.value} (${ref.name}) does not exist: looked for ${shown}`, createMissingFix(ctx, node, ref, target.path));
      }
    }
  },
};
