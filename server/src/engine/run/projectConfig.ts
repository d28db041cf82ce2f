import { isMap, isScalar, isSeq, LineCounter, Pair, parseDocument } from 'yaml';
import { isRuleLevel, RULE_LEVELS, RuleLevel } from '../rules/severityOverrides';

/** The project's settings file, at the checked folder's root; read by the CLI and the editor alike. */
export const PROJECT_CONFIG_FILE = '.kube-pki.yaml';

/** Larger than any list of rule levels: a bigger file is not read. */
export const MAX_PROJECT_CONFIG_BYTES = 64 * 1024;

export interface ProjectConfig {
  rules: Record<string, RuleLevel>;
  /** Globs, relative to the folder, of what is not discovered as documents. */
  exclude: string[];
  /** `gitignore: false` turns off honouring .gitignore files. */
  gitignore?: boolean;
  /** What was ignored and why, each naming its line: "line 3: unknown rule "san-mising"". */
  problems: string[];
}

/**
 * `rules: {code: off|error|warning|information|hint}`, `exclude: [glob, ...]`, `gitignore: true|false`;
 * unknown keys, codes and levels are problems, never fatal.
 */
export function parseProjectConfig(text: string, knownCodes: ReadonlySet<string>): ProjectConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : 1);
  const config: ProjectConfig = { rules: {}, exclude: [], problems: [] };
  if (doc.errors.length > 0) {
    config.problems.push(`line ${lines.linePos(doc.errors[0].pos[0]).line}: invalid YAML (${doc.errors[0].message.split('\n')[0]}); no rule levels read`);
    return config;
  }
  if (doc.contents === null) return config;
  if (!isMap(doc.contents)) {
    config.problems.push(`line ${lineOf(doc.contents)}: expected a mapping with a "rules" key`);
    return config;
  }
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === 'exclude' || key === 'gitignore') {
      readExclusion(config, key, pair, lineOf);
      continue;
    }
    if (key !== 'rules') {
      config.problems.push(`line ${lineOf(pair.key as never)}: unknown key ${JSON.stringify(key ?? '?')} (only "rules", "exclude" and "gitignore" are read)`);
      continue;
    }
    if (!isMap(pair.value)) {
      if (pair.value !== null) config.problems.push(`line ${lineOf(pair.value as never)}: "rules" must map rule codes to ${RULE_LEVELS.join(', ')}`);
      continue;
    }
    for (const rule of pair.value.items) {
      const code = isScalar(rule.key) ? String(rule.key.value) : '?';
      const level = isScalar(rule.value) ? rule.value.value : undefined;
      const line = lineOf(rule.key as never);
      if (!knownCodes.has(code)) config.problems.push(`line ${line}: unknown rule ${JSON.stringify(code)} (ignored)`);
      else if (!isRuleLevel(level))
        config.problems.push(`line ${line}: ${code}: ${JSON.stringify(level ?? null)} is not one of ${RULE_LEVELS.join(', ')} (ignored)`);
      else config.rules[code] = level;
    }
  }
  return config;
}

type LineOf = (node: { range?: [number, number, number] | null } | null | undefined) => number;

/** `exclude`: a list of globs; `gitignore`: a boolean. Anything else is a problem, and ignored. */
function readExclusion(config: ProjectConfig, key: 'exclude' | 'gitignore', pair: Pair, lineOf: LineOf): void {
  const value = pair.value as never;
  if (key === 'gitignore') {
    if (isScalar(value) && typeof (value as { value: unknown }).value === 'boolean') config.gitignore = (value as { value: boolean }).value;
    else config.problems.push(`line ${lineOf(value ?? (pair.key as never))}: "gitignore" must be true or false (ignored)`);
    return;
  }
  if (!isSeq(value)) {
    if (value !== null) config.problems.push(`line ${lineOf(value)}: "exclude" must be a list of globs (ignored)`);
    return;
  }
  for (const item of (value as { items: unknown[] }).items) {
    if (isScalar(item) && typeof item.value === 'string' && item.value.trim() !== '') config.exclude.push(item.value);
    else config.problems.push(`line ${lineOf(item as never)}: an "exclude" entry must be a glob (ignored)`);
  }
}
