import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { nodeReferences } from '../check/clusterModel';
import { KEY_ROLES } from '../kube/flagTable';
import { Rule } from './rule';

/**
 * Git records only the executable bit, so in a git work tree every key is
 * 0644 or 0600 by the checkout's umask: the mode says nothing about the node.
 */
function inGitWorkTree(path: string, cache: Map<string, boolean>): boolean {
  const dir = dirname(path);
  const known = cache.get(dir);
  if (known !== undefined) return known;
  const result = existsSync(join(dir, '.git')) || (dirname(dir) !== dir && inGitWorkTree(dir, cache));
  cache.set(dir, result);
  return result;
}

export const keyPermissions: Rule = {
  code: 'key-permissions',
  severity: 'warning',
  description: 'A private key file is readable by group or others (mode wider than 0600); not checked inside a git work tree, where modes are not kept.',
  check(ctx, report) {
    const seen = new Set<string>();
    const gitDirs = new Map<string, boolean>();
    for (const ref of ctx.nodes.flatMap(nodeReferences)) {
      if (!KEY_ROLES.has(ref.role) || ref.inline) continue;
      const target = ctx.ok(ref);
      if (!target?.path || target.mode === undefined || (target.mode & 0o077) === 0 || inGitWorkTree(target.path, gitDirs)) continue;
      // One fault, one finding: the file's mode, reported at the first reference to it.
      if (seen.has(target.path)) continue;
      seen.add(target.path);
      report(ref, `${ctx.describe(ref)} has mode ${target.mode.toString(8).padStart(4, '0')}: group or others can read the private key (chmod 600 it)`);
    }
  },
};
