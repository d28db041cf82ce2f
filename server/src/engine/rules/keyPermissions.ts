import { nodeReferences } from '../check/clusterModel';
import { KEY_ROLES } from '../kube/flagTable';
import { Rule } from './rule';

export const keyPermissions: Rule = {
  meta: {
    code: 'key-permissions',
    severity: 'warning',
    description: 'A private key file is readable by group or others (mode wider than 0600); not checked inside a git work tree, where modes are not kept.',
    docs: 'docs/rules/key-permissions.md',
    fixable: false,
    options: [],
  },
  check(ctx, report) {
    const seen = new Set<string>();
    for (const ref of ctx.nodes.flatMap(nodeReferences)) {
      if (!KEY_ROLES.has(ref.role) || ref.inline) continue;
      const target = ctx.ok(ref);
      if (!target?.path || target.mode === undefined || (target.mode & 0o077) === 0 || ctx.inGitWorkTree(target.path)) continue;
      // One fault, one finding: the file's mode, reported at the first reference to it.
      if (seen.has(target.path)) continue;
      seen.add(target.path);
      report(ref, `${ctx.describe(ref)} has mode ${target.mode.toString(8).padStart(4, '0')}: group or others can read the private key (chmod 600 it)`);
    }
  },
};
