import type { Reference } from '../kube/reference';
import type { RuleContext } from '../check/ruleContext';
import type { Severity } from '../severity';
import type { Range } from '../text/lineIndex';
import type { FixSpec } from '../check/fixSpec';

export type Report = (at: Reference | { file: string; range: Range }, message: string, fix?: FixSpec) => void;

/** One diagnostic rule: a stable code, a default severity, a one-line description and docs/rules/<code>.md. */
export interface Rule {
  code: string;
  severity: Severity;
  description: string;
  check(ctx: RuleContext, report: Report): void;
}
