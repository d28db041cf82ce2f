import type { Range } from '../../text/lineIndex';
import type { OpensslConfig, OpensslEntry, OpensslSection } from '../kinds/opensslProfile';
import { BOOLEANS, EXTENDED_KEY_USAGES, EXTENSION_NAMES, extensionNamed, isExtensionName, KEY_USAGE_LONG_NAMES, KEY_USAGES, nearest } from './x509v3Names';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A mistake openssl stops on, where it is written, and the edit that repairs it when one is sure. */
export interface OpensslProblem {
  range: Range;
  message: string;
  fix?: { title: string; edits: TextEdit[] };
}

/** The keys naming a section openssl req (and ca) opens, with the error it stops with when the section is absent. */
// Maps, not objects: a key is file content, and `constructor` is in every object.
const SECTION_KEYS = new Map<string, (name: string) => string>([
  ['distinguished_name', (name) => `openssl req stops with "Unable to get '${name}' section"`],
  ['req_extensions', (name) => `openssl req stops with "Error checking request extension section ${name}"`],
  ['x509_extensions', (name) => `openssl req -x509 and openssl ca stop with "Error checking x509 extension section ${name}"`],
]);

/** A generic extension (`ASN1:...`, `DER:...`) may carry any name or OID. */
const isGeneric = (value: string) => /^(critical[ \t]*,[ \t]*)?(ASN1|DER):/.test(value);
const CRITICAL = /^critical[ \t]*,[ \t]*/;

/** The range of `length` characters `from` characters into an entry's value (values never span lines). */
function within(entry: OpensslEntry, from: number, length: number): Range {
  const { line, character } = entry.range.start;
  return { start: { line, character: character + from }, end: { line, character: character + from + length } };
}

/** A value's comma-separated items with their offsets in the value, as X509V3_parse_list splits them (after `critical,`). */
function items(value: string): Array<{ text: string; at: number }> {
  const skip = CRITICAL.exec(value)?.[0].length ?? 0;
  const out: Array<{ text: string; at: number }> = [];
  let at = skip;
  for (const part of value.slice(skip).split(',')) {
    const lead = part.length - part.trimStart().length;
    out.push({ text: part.trim(), at: at + lead });
    at += part.length + 1;
  }
  return out;
}

/**
 * The extension sections: those req_extensions / x509_extensions name, `v3_*` ones (`-extensions v3_req`),
 * and those whose keys are mostly extension names; never a section named by distinguished_name or `@`.
 */
export function extensionSections(config: OpensslConfig): Set<string> {
  const named = new Set<string>();
  const notExtensions = new Set<string>();
  for (const entry of config.sections.flatMap((s) => s.entries)) {
    if (entry.key === 'req_extensions' || entry.key === 'x509_extensions') named.add(entry.value);
    else if (entry.key === 'distinguished_name' || entry.key === 'attributes') notExtensions.add(entry.value);
    for (const item of entry.value.split(',')) if (item.trim().startsWith('@')) notExtensions.add(item.trim().slice(1));
  }
  const sections = new Set<string>();
  for (const section of config.sections) {
    if (section.name === 'default' || notExtensions.has(section.name)) continue;
    const known = section.entries.filter((e) => isExtensionName(e.key)).length;
    if (named.has(section.name) || section.name.startsWith('v3_') || known * 2 > section.entries.length) sections.add(section.name);
  }
  return sections;
}

function unknownExtension(section: OpensslSection, entry: OpensslEntry): OpensslProblem {
  const meant = nearest(
    entry.key,
    EXTENSION_NAMES.map((e) => e.name),
  );
  return {
    range: entry.keyRange,
    message: `[${section.name}] ${entry.key} is not an extension openssl knows${meant ? ` (did you mean ${meant}?)` : ''}: openssl stops with "unknown extension name"`,
    fix: meant ? { title: `Rename to ${meant}`, edits: [{ range: entry.keyRange, newText: meant }] } : undefined,
  };
}

/** `a,,b` or `a,`: X509V3_parse_list fails on the empty name; the fix keeps the other items as written. */
function emptyItem(section: OpensslSection, entry: OpensslEntry): OpensslProblem | undefined {
  const skip = CRITICAL.exec(entry.value)?.[0] ?? '';
  const parts = entry.value.slice(skip.length).split(',');
  if (parts.length < 2 || parts.every((p) => p.trim() !== '')) return undefined;
  const kept = parts.filter((p) => p.trim() !== '');
  return {
    range: entry.range,
    message: `[${section.name}] ${entry.key} = ${entry.value} has an empty item: openssl rejects the list ("invalid empty name")`,
    fix: kept.length ? { title: 'Remove the stray comma', edits: [{ range: entry.range, newText: skip + kept.join(',').trimStart() }] } : undefined,
  };
}

/** Why an item of keyUsage, extendedKeyUsage or basicConstraints is not one openssl parses, and what was meant; undefined when it is fine. */
function badItem(key: string, item: string): { why: string; meant?: string } | undefined {
  if (key === 'keyUsage') {
    if (KEY_USAGES.includes(item) || KEY_USAGE_LONG_NAMES.includes(item)) return undefined;
    return { why: `is not a key usage openssl knows`, meant: nearest(item, KEY_USAGES) };
  }
  if (key === 'extendedKeyUsage') {
    // Any object name or OID is accepted: only a near miss of a usage certificates use is a typo.
    const meant = /^[0-9.]+$/.test(item) || EXTENDED_KEY_USAGES.includes(item) ? undefined : nearest(item, EXTENDED_KEY_USAGES);
    return meant ? { why: 'is not an extended key usage openssl knows', meant } : undefined;
  }
  const colon = item.indexOf(':');
  const [name, value] = colon < 0 ? [item, ''] : [item.slice(0, colon).trim(), item.slice(colon + 1).trim()];
  if (name === 'CA' && BOOLEANS.has(value)) return undefined;
  if (name === 'pathlen' && /^[0-9]+$/.test(value)) return undefined;
  if (name === 'CA') return { why: 'is not CA:TRUE or CA:FALSE', meant: nearest(value, ['TRUE', 'FALSE']) && `CA:${nearest(value, ['TRUE', 'FALSE'])}` };
  return { why: 'is not CA:TRUE, CA:FALSE or pathlen:N', meant: nearest(item, ['CA:TRUE', 'CA:FALSE']) };
}

const VALUE_ERRORS = new Map([
  ['keyUsage', 'unknown bit string argument'],
  ['extendedKeyUsage', 'invalid object identifier'],
  ['basicConstraints', 'invalid boolean string'],
]);

function badValues(section: OpensslSection, entry: OpensslEntry): OpensslProblem[] {
  const error = VALUE_ERRORS.get(entry.key);
  if (!error || entry.value.startsWith('@')) return [];
  return items(entry.value).flatMap(({ text, at }) => {
    const bad = text === '' ? undefined : badItem(entry.key, text);
    if (!bad) return [];
    const range = within(entry, at, text.length);
    return [
      {
        range,
        message: `[${section.name}] ${entry.key}: ${text} ${bad.why}${bad.meant ? ` (did you mean ${bad.meant}?)` : ''}: openssl stops with "${error}"`,
        fix: bad.meant ? { title: `Replace with ${bad.meant}`, edits: [{ range, newText: bad.meant }] } : undefined,
      },
    ];
  });
}

/** `@name` references in an extension's value: the whole value (`subjectAltName = @alt_names`), or items of certificatePolicies. */
function sectionReferences(entry: OpensslEntry): Array<{ name: string; at: number }> {
  const all = items(entry.value);
  const refs = entry.key === 'certificatePolicies' ? all : all.length === 1 ? all : [];
  return refs.filter((i) => i.text.startsWith('@') && !i.text.includes('$')).map((i) => ({ name: i.text.slice(1), at: i.at + 1 }));
}

/** What the missing-section findings of one file share, worked out once (a finding each must not rescan the file). */
interface SectionIndex {
  exists: Set<string>;
  /** Sections with `prompt = no`: openssl wants the subject's fields in their distinguished_name section. */
  promptNo: Set<string>;
  /** The name meant for a missing one, memoised; none past MAX_CANDIDATES sections (a suggestion is not worth a quadratic search). */
  meant(name: string): string | undefined;
}

const MAX_CANDIDATES = 256;

function sectionIndex(config: OpensslConfig): SectionIndex {
  const exists = new Set(config.sections.map((s) => s.name));
  const candidates = exists.size <= MAX_CANDIDATES ? [...exists].filter((n) => n !== 'default') : [];
  const promptNo = new Set(config.sections.filter((s) => s.entries.some((e) => e.key === 'prompt' && e.value === 'no')).map((s) => s.name));
  const memo = new Map<string, string | undefined>();
  const meant = (name: string) => {
    if (!memo.has(name)) memo.set(name, nearest(name, candidates));
    return memo.get(name);
  };
  return { exists, promptNo, meant };
}

function missingSection(index: SectionIndex, referrer: OpensslSection, entry: OpensslEntry, name: string, range: Range, why: string): OpensslProblem {
  const meant = index.meant(name);
  // An empty subject section is what `openssl req -subj` needs; empty extensions would hide the mistake, and prompt = no needs fields.
  const canCreate = entry.key === 'distinguished_name' && referrer.name !== 'default' && !index.promptNo.has(referrer.name);
  const fix = meant
    ? { title: `Name [ ${meant} ] instead`, edits: [{ range, newText: meant }] }
    : canCreate
      ? { title: `Add an empty [ ${name} ] section`, edits: [{ range: { start: referrer.range.start, end: referrer.range.start }, newText: `[ ${name} ]\n` }] }
      : undefined;
  return {
    range,
    message: `[${referrer.name}] ${entry.key} = ${entry.value} names a section this file does not have${meant ? ` (did you mean ${meant}?)` : ''}: ${why}`,
    fix,
  };
}

function missingSections(config: OpensslConfig, extensions: Set<string>): OpensslProblem[] {
  if (config.includes) return [];
  const index = sectionIndex(config);
  return config.sections.flatMap((section) =>
    section.entries.flatMap((entry) => {
      const why = SECTION_KEYS.get(entry.key);
      if (why && !entry.value.includes('$') && !index.exists.has(entry.value))
        return [missingSection(index, section, entry, entry.value, entry.range, why(entry.value))];
      if (!extensions.has(section.name) || !isExtensionName(entry.key)) return [];
      return sectionReferences(entry)
        .filter((ref) => !index.exists.has(ref.name))
        .map((ref) => missingSection(index, section, entry, ref.name, within(entry, ref.at, ref.name.length), 'openssl stops with "invalid extension string"'));
    }),
  );
}

/** Every mistake openssl would stop on when it reads this profile, in file order. */
export function opensslConfigProblems(config: OpensslConfig): OpensslProblem[] {
  const extensions = extensionSections(config);
  const problems: OpensslProblem[] = [];
  for (const section of config.sections.filter((s) => extensions.has(s.name))) {
    for (const entry of section.entries) {
      if (isGeneric(entry.value)) continue;
      if (!isExtensionName(entry.key)) {
        problems.push(unknownExtension(section, entry));
        continue;
      }
      const empty = extensionNamed(entry.key)?.list && !entry.value.startsWith('@') ? emptyItem(section, entry) : undefined;
      if (empty) problems.push(empty);
      // One by one: a spread of a long list overflows the stack.
      for (const problem of badValues(section, entry)) problems.push(problem);
    }
  }
  for (const problem of missingSections(config, extensions)) problems.push(problem);
  return problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
