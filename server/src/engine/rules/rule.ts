import type { FixSpec } from '../check/fixSpec';
import type { RuleContext } from '../check/ruleContext';
import type { Reference } from '../kube/reference';
import type { Severity } from '../severity';
import type { Range } from '../text/lineIndex';

/**
 * How a rule reports. `severity`: a finding milder than the rule's own, when the tree cannot show the whole
 * fault (a binding that lives in the cluster's API, not in files); the user's level for the code still wins.
 */
export type Report = (at: Reference | { file: string; range: Range }, message: string, fix?: FixSpec, severity?: Severity) => void;

/** A setting that changes what a rule reports (the CLI option and the editor setting that carry it). */
export interface RuleOption {
  name: string;
  cli: string;
  setting: string;
  description: string;
  default: number | string | boolean;
}

/** What a rule is, readable without running it: SARIF's driver.rules, docs, the settings schema. */
export interface RuleMeta {
  /** Stable kebab-case code, the key of `kubePki.rules`, `--rule` and `.kube-pki.yaml`. */
  code: string;
  /** The severity of its findings unless the user overrides it. */
  severity: Severity;
  description: string;
  /** Its page, relative to the repository root: docs/rules/<code>.md. */
  docs: string;
  /** Whether its findings can carry a quick fix (a FixSpec). */
  fixable: boolean;
  options: readonly RuleOption[];
}

/**
 * One diagnostic rule. `check` is pure: it reads the context (the model, the
 * decoded targets and the facts the check read for it) and reports; it does no I/O.
 */
export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext, report: Report): void;
}
