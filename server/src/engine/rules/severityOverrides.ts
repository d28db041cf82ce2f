import type { Finding } from '../check/ruleContext';
import type { Severity } from '../severity';

/** What a user may set a rule to: a severity, or off. */
export type RuleLevel = Severity | 'off';

export const RULE_LEVELS: readonly RuleLevel[] = ['off', 'error', 'warning', 'information', 'hint'];

export function isRuleLevel(value: unknown): value is RuleLevel {
  return typeof value === 'string' && (RULE_LEVELS as readonly string[]).includes(value);
}

/** Levels by rule code. Values that are not levels are ignored, as editors pass settings unchecked. */
export type RuleLevels = Readonly<Record<string, unknown>>;

/**
 * The findings with the user's levels: `layers` from the strongest (the CLI's
 * --rule or the editor's kubePki.rules, then .kube-pki.yaml); a code takes the
 * first level a layer gives it, else keeps its default. "off" drops the finding.
 */
export function applyRuleLevels(findings: Finding[], layers: readonly RuleLevels[]): Finding[] {
  if (!layers.some((layer) => Object.keys(layer).length > 0)) return findings;
  const levelOf = (code: string): RuleLevel | undefined => {
    for (const layer of layers) {
      const level = Object.prototype.hasOwnProperty.call(layer, code) ? layer[code] : undefined;
      if (isRuleLevel(level)) return level;
    }
    return undefined;
  };
  return findings.flatMap((finding) => {
    const level = levelOf(finding.code);
    if (level === 'off') return [];
    return level === undefined || level === finding.severity ? [finding] : [{ ...finding, severity: level }];
  });
}
