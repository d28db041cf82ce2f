import { Rule } from './rule';

export const kubeconfigRef: Rule = {
  meta: {
    code: 'kubeconfig-ref',
    severity: 'error',
    description: 'A kubeconfig context names a missing cluster or user, or current-context names a missing context.',
    docs: 'docs/rules/kubeconfig-ref.md',
    fixable: false,
    options: [],
  },
  check(ctx, report) {
    for (const kubeconfig of ctx.nodes.flatMap((n) => n.kubeconfigs)) {
      const { clusters, users, contexts, currentContext } = kubeconfig.model;
      for (const context of contexts) {
        if (context.cluster !== undefined && context.clusterRange && !clusters.some((c) => c.name === context.cluster)) {
          report(
            { file: kubeconfig.file, range: context.clusterRange },
            `context "${context.name}" names cluster "${context.cluster}", which is not in clusters (${clusters.map((c) => c.name).join(', ') || 'none'})`,
          );
        }
        if (context.user !== undefined && context.userRange && !users.some((u) => u.name === context.user)) {
          report(
            { file: kubeconfig.file, range: context.userRange },
            `context "${context.name}" names user "${context.user}", which is not in users (${users.map((u) => u.name).join(', ') || 'none'})`,
          );
        }
      }
      if (currentContext && !contexts.some((c) => c.name === currentContext.name)) {
        report(
          { file: kubeconfig.file, range: currentContext.range },
          `current-context "${currentContext.name}" is not in contexts (${contexts.map((c) => c.name).join(', ') || 'none'})`,
        );
      }
    }
  },
};
