import { nodeReferences } from '../check/clusterModel';
import type { RuleContext } from '../check/ruleContext';
import { KEY_ROLES } from '../kube/flagTable';
import type { Reference } from '../kube/reference';
import { Report, Rule } from './rule';

const modeText = (mode: number) => mode.toString(8).padStart(4, '0');

/** A kubeconfig holding client-key-data is a private key file: the same mode rule as a .key, once per file. */
function checkKubeconfigs(ctx: RuleContext, report: Report, seen: Set<string>): void {
  for (const kubeconfig of ctx.nodes.flatMap((n) => n.kubeconfigs)) {
    const keyData: Reference | undefined = kubeconfig.references.find((r) => KEY_ROLES.has(r.role) && r.inline);
    const mode = ctx.fileMode(kubeconfig.file);
    if (!keyData || mode === undefined || (mode & 0o077) === 0 || ctx.inGitWorkTree(kubeconfig.file) || seen.has(kubeconfig.file)) continue;
    seen.add(kubeconfig.file);
    report(
      keyData,
      `${kubeconfig.file.split('/').pop()} holds a private key (${keyData.name} of user "${keyData.owner}") and has mode ${modeText(mode)}: group or others can read the private key (chmod 600 it)`,
    );
  }
}

export const keyPermissions: Rule = {
  meta: {
    code: 'key-permissions',
    severity: 'warning',
    description:
      'A private key file (or a kubeconfig holding client-key-data) is readable by group or others (mode wider than 0600); not checked inside a git work tree, where modes are not kept.',
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
      report(ref, `${ctx.describe(ref)} has mode ${modeText(target.mode)}: group or others can read the private key (chmod 600 it)`);
    }
    checkKubeconfigs(ctx, report, seen);
  },
};
