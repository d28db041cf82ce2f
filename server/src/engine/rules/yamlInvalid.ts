import { Rule } from './rule';

export const yamlInvalid: Rule = {
  meta: {
    code: 'yaml-invalid',
    severity: 'error',
    description: 'A static pod manifest, kubeconfig, KubeletConfiguration or other component config does not parse as YAML.',
    docs: 'docs/rules/yaml-invalid.md',
    fixable: false,
    options: [],
  },
  check(ctx, report) {
    for (const config of ctx.workspace.configFiles) {
      for (const error of config.yamlErrors) report({ file: config.path, range: error.range }, `invalid YAML: ${error.message}`);
    }
  },
};
