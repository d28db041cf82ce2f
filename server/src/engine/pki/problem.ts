import type { Severity } from '../severity';

/**
 * Something wrong or notable about one decoded object, found without any
 * configuration (the object alone says it). Cluster-level findings live in rules.
 */
export interface Problem {
  severity: Severity;
  /** Stable kebab-case code, e.g. "duplicate-extension". */
  code: string;
  message: string;
}

export function problem(severity: Problem['severity'], code: string, message: string): Problem {
  return { severity, code, message };
}
