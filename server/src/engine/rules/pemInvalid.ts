import { nodeReferences } from '../check/clusterModel';
import { placeOf } from './objectValues';
import { Rule } from './rule';
import { standaloneBlocks } from './standalone';

export const pemInvalid: Rule = {
  meta: {
    code: 'pem-invalid',
    severity: 'error',
    description:
      'A referenced file, inline *-data or API object value (Secret tls.crt, caBundle...) is not a decodable certificate or key of the kind it needs.',
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
    for (const value of ctx.objects.values()) {
      const target = ctx.objects.target(value);
      if (target.status === 'invalid') report(placeOf(value), target.message);
    }
    for (const { file, range, block, pathLabel } of standaloneBlocks(ctx)) {
      if (block.error) report({ file, range }, `${pathLabel}: ${block.error}`);
    }
  },
};
