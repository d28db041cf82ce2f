import { posix } from 'node:path';
import { nodeReferences } from '../check/clusterModel';
import { MAX_CONFIG_FILE_BYTES } from '../check/workspace';
import { Rule } from './rule';

const FILE_START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

export const fileTooLarge: Rule = {
  meta: {
    code: 'file-too-large',
    severity: 'warning',
    description: 'A kubeconfig, manifest or other config file is larger than kube-pki reads (4 MiB), so nothing in it was checked.',
    docs: 'docs/rules/file-too-large.md',
    fixable: false,
    options: [],
  },
  check(ctx, report) {
    const tooLarge = new Map(ctx.workspace.configFiles.flatMap((c) => (c.tooLarge === undefined ? [] : [[c.path, c.tooLarge] as const])));
    if (tooLarge.size === 0) return;
    const limit = `${MAX_CONFIG_FILE_BYTES / 1048576} MiB`;
    for (const [path, size] of tooLarge) {
      report(
        { file: path, range: FILE_START },
        `${posix.basename(path)} is ${mib(size)}, over the ${limit} kube-pki reads of a config file: too large, not read`,
      );
    }
    // A reference to it would otherwise be silent: the file exists, and its content was never looked at.
    for (const node of ctx.nodes) {
      for (const ref of nodeReferences(node)) {
        const resolved = ctx.resolvedPath(ref);
        const size = resolved?.found ? tooLarge.get(resolved.path) : undefined;
        if (size !== undefined)
          report(ref, `${ref.value} (${ref.name}) is ${mib(size)}, over the ${limit} kube-pki reads of a config file: too large, not read`);
      }
    }
  },
};
