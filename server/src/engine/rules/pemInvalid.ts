import { nodeReferences } from '../check/clusterModel';
import { Rule } from './rule';
import { standaloneBlocks } from './standalone';

export const pemInvalid: Rule = {
  meta: {
    code: 'pem-invalid',
    severity: 'error',
    description: 'A referenced file or inline *-data is not a decodable certificate or key of the kind its flag needs.',
    docs: 'docs/rules/pem-invalid.md',
    fixable: false,
    options: [],
  },
  check(ctx, report) {
    for (const ref of ctx.nodes.flatMap(nodeReferences)) {
      const target = ctx.target(ref);
      // Named by its path and by the flag that names it: a reader of the manifest or kubeconfig knows which file to replace.
      if (target.status === 'invalid') report(ref, `${ctx.describe(ref, target.path)}${target.detail}`);
    }
    for (const { file, range, block, pathLabel } of standaloneBlocks(ctx)) {
      if (block.error) report({ file, range }, `${pathLabel}: ${block.error}`);
    }
  },
};
