import type { Severity } from '../severity';
import type { DecoderProblemCode } from './problemCodes';

/**
 * Something wrong or notable about one decoded object, found without any
 * configuration (the object alone says it). Cluster-level findings live in rules.
 */
export interface Problem {
  severity: Severity;
  /** Stable kebab-case code, e.g. "duplicate-extension": one of DECODER_PROBLEMS (docs/rules/decoder-problems.md). */
  code: DecoderProblemCode;
  message: string;
}

export function problem(severity: Problem['severity'], code: DecoderProblemCode, message: string): Problem {
  return { severity, code, message };
}
