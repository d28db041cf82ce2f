import type { Rule } from './rule';

/**
 * A rule that threw on this input: a kube-pki bug, reported so that it is seen
 * (and its input can be sent), while every other rule's findings stand. The
 * runner (run/runCheck.ts) reports it on the checked folder when a rule fails;
 * it is registered so that its code has a level, a page and a SARIF entry.
 */
export const internalError: Rule = {
  meta: {
    code: 'internal-error',
    severity: 'error',
    description: "A rule failed on this input (a kube-pki bug); the other rules' findings stand.",
    docs: 'docs/rules/internal-error.md',
    fixable: false,
    options: [],
  },
  check() {
    // Nothing to look at: the runner reports a failing rule under this code.
  },
};
