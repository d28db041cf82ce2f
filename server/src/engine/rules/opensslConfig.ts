import { opensslConfigProblems } from '../kube/openssl/configProblems';
import { Rule } from './rule';

export const opensslConfig: Rule = {
  meta: {
    code: 'openssl-config',
    severity: 'error',
    description:
      'An openssl profile (openssl.cnf) that openssl refuses: an unknown extension name, a list with an empty item, a keyUsage/extendedKeyUsage/basicConstraints value it does not parse, or a section named by distinguished_name, req_extensions, x509_extensions or @name that is not there.',
    docs: 'docs/rules/openssl-config.md',
    fixable: true,
    options: [],
  },
  check(ctx, report) {
    for (const file of ctx.workspace.configFiles) {
      for (const doc of file.documents) {
        if (doc.kind !== 'openssl-config') continue;
        for (const problem of opensslConfigProblems(doc.config)) {
          const fix = problem.fix && { kind: 'edit-text' as const, title: problem.fix.title, path: file.path, edits: problem.fix.edits };
          report({ file: file.path, range: problem.range }, problem.message, fix);
        }
      }
    }
  },
};
