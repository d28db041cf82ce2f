import { nodeReferences } from '../check/clusterModel';
import { Rule } from './rule';

export const pathNotMounted: Rule = {
  meta: {
    code: 'path-not-mounted',
    severity: 'error',
    description: "A static pod flag names a container path that none of the container's volumeMounts covers.",
    docs: 'docs/rules/path-not-mounted.md',
    fixable: false,
    options: [],
  },
  check(ctx, report) {
    for (const ref of ctx.nodes.flatMap(nodeReferences)) {
      if (ctx.target(ref).status !== 'not-mounted' || !ref.container) continue;
      const mounts = ref.container.mounts.map((m) => m.mountPath).join(', ') || 'none';
      report(
        ref,
        `${ref.value} (${ref.name}) is not under any volumeMount of container ${ref.container.name}, so the file is not visible inside it (mounts: ${mounts})`,
      );
    }
  },
};
