import { Rule } from './rule';

export const yamlDuplicateKey: Rule = {
  meta: {
    code: 'yaml-duplicate-key',
    severity: 'error',
    description:
      'A key appears twice in one mapping of a kubeconfig, manifest or component config: kubectl rejects the file, and which value a component reads is ambiguous.',
    docs: 'docs/rules/yaml-duplicate-key.md',
    fixable: false,
    options: [],
  },
  check(ctx, report) {
    for (const config of ctx.workspace.configFiles) {
      for (const duplicate of config.duplicateKeys ?? []) {
        report(
          { file: config.path, range: duplicate.range },
          `duplicate key "${duplicate.key}" (first on line ${duplicate.firstLine}): kubectl rejects the file, and which value is read is ambiguous`,
        );
      }
    }
  },
};
