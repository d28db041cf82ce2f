import { nodeReferences } from '../check/clusterModel';
import { unexpandedVariable as variableIn } from '../kube/unexpandedVariable';
import { Rule } from './rule';

export const unexpandedVariable: Rule = {
  meta: {
    code: 'unexpanded-variable',
    severity: 'information',
    description:
      'A flag or field holds a shell, systemd or pod variable (${INTERNAL_IP}, $NODE_IP, %H, $(POD_IP)): what it names is known only on the node, so it is not checked.',
    docs: 'docs/rules/unexpanded-variable.md',
    fixable: false,
    options: [],
  },
  check(ctx, report) {
    for (const ref of ctx.nodes.flatMap(nodeReferences)) {
      if (ref.inline) continue;
      const variable = variableIn(ref.value);
      if (!variable) continue;
      report(ref, `${ref.value} (${ref.name}) holds ${variable}, expanded on the node: kube-pki checks no file or address behind it`);
    }
  },
};
