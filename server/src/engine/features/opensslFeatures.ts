import { looksLikeOpensslConfig, OpensslConfig, readOpensslConfig } from '../kube/kinds/opensslProfile';
import { extensionSections } from '../kube/openssl/configProblems';
import { BASIC_CONSTRAINTS, EXTENDED_KEY_USAGES, EXTENSION_NAMES, extensionNamed, KEY_USAGES, REQ_KEYS } from '../kube/openssl/x509v3Names';
import { LineIndex, Position, Range } from '../text/lineIndex';
import type { EngineCompletion } from './configCompletion';
import type { EngineHover } from './types';

/** Hover and completion in an openssl profile: what a key means, the names and values openssl takes. Read from the text: no check needed. */

const contains = (range: Range, at: Position) => range.start.line === at.line && range.start.character <= at.character && at.character <= range.end.character;

/** What a key of a .cnf means: an extension (in any section), or a key `openssl req` reads. */
export function opensslHover(text: string, position: Position): EngineHover | undefined {
  if (!looksLikeOpensslConfig(text)) return undefined;
  for (const section of readOpensslConfig(text).sections) {
    const entry = section.entries.find((e) => contains(e.keyRange, position));
    if (!entry) continue;
    const extension = extensionNamed(entry.key);
    const doc = extension ? `X.509 v3 extension. ${extension.doc}` : REQ_KEYS.get(entry.key);
    // Only known keys hover, so the text shown is ours, never the file's.
    return doc ? { markdown: `**${entry.key}**  \n${doc}\n\nSee \`man x509v3_config\` and \`man req\`.`, range: entry.keyRange } : undefined;
  }
  return undefined;
}

const VALUES = new Map<string, readonly string[]>([
  ['keyUsage', ['critical', ...KEY_USAGES]],
  ['extendedKeyUsage', ['critical', ...EXTENDED_KEY_USAGES]],
  ['basicConstraints', ['critical', ...BASIC_CONSTRAINTS]],
]);

/** The section the line is in: the last header at or above it. */
function sectionAt(config: OpensslConfig, line: number): string {
  let name = 'default';
  for (const section of config.sections) if (section.range.start.line <= line && section.name !== 'default') name = section.name;
  return name;
}

/** Key names where a key is typed: the extensions in an extension section (or a new, empty one), the req keys in [ req ]. */
function keyNames(config: OpensslConfig, section: string): Array<{ name: string; doc: string }> {
  if (section === 'req') return [...REQ_KEYS].map(([name, doc]) => ({ name, doc }));
  const entries = config.sections.filter((s) => s.name === section).flatMap((s) => s.entries);
  if (section === 'default' || (entries.length > 0 && !extensionSections(config).has(section))) return [];
  return EXTENSION_NAMES.map((e) => ({ name: e.name, doc: e.doc }));
}

/** Completion in a .cnf: at a key, the names the section takes; after `keyUsage =` (and EKU, basicConstraints), the values, item by item. */
export function completeOpenssl(text: string, position: Position): EngineCompletion[] {
  const lines = new LineIndex(text);
  const lineStart = lines.offsetAt({ line: position.line, character: 0 });
  const offset = lines.offsetAt(position);
  const before = text.slice(lineStart, offset);
  const blank = (c: string) => c === ' ' || c === '\t';
  let from = 0;
  while (from < before.length && blank(before[from])) from++;
  if (before[from] === '[' || before[from] === '#') return [];
  const config = readOpensslConfig(text, lines);
  const equals = before.indexOf('=');
  const at = (start: number) => ({ start: lines.positionAt(lineStart + start), end: position });
  if (equals < 0) {
    return keyNames(config, sectionAt(config, position.line)).map((k) => ({
      label: k.name,
      detail: k.doc,
      range: at(from),
      newText: k.name,
      kind: 'flag' as const,
    }));
  }
  const values = VALUES.get(before.slice(from, equals).trim());
  if (!values) return [];
  let item = Math.max(equals, before.lastIndexOf(',')) + 1;
  while (item < before.length && blank(before[item])) item++;
  return values.map((v) => ({
    label: v,
    detail: v === 'critical' ? 'mark the extension critical (first item)' : '',
    range: at(item),
    newText: v,
    kind: 'value' as const,
  }));
}
