import type { ContentTriggers } from './documentKind';

/** What the content filter says of a file: parse it, skip it, or parse it only if it holds a name looked up (joined-only kinds). */
export type Admission = 'yes' | 'no' | 'if-named';

/**
 * The content filter of a big tree (a GitOps repository: tens of thousands of manifests, most without TLS material):
 * a file holding none of the YAML kinds' triggers is not parsed, as no kind would read anything of it. Built from
 * the kinds' own declarations (each YamlKind must have `triggers`), so a new kind cannot be forgotten.
 * Linear: one indexOf pass per string, one pass over the `kind` words, each kind's strings looked for once per file.
 */
export function contentFilterOf(triggers: readonly ContentTriggers[]): (text: string) => Admission {
  const strings = [...new Set(triggers.flatMap((t) => t.strings))];
  const joinedOnly = new Set(triggers.flatMap((t) => t.joinedOnly ?? []));
  const needs = new Map<string, string[]>();
  for (const t of triggers) {
    for (const [kind, also] of Object.entries(t.kinds)) {
      const known = needs.get(kind);
      // One kind read by two kinds: either may read it, so either's strings admit it ([] admits it alone).
      if (known === undefined) needs.set(kind, [...also]);
      else if (known.length > 0) needs.set(kind, also.length === 0 ? [] : [...known, ...also]);
    }
  }
  return (text) => {
    if (strings.some((s) => text.includes(s))) return 'yes';
    const judged = new Map<string, boolean>();
    let named = false;
    for (let at = text.indexOf('kind'); at !== -1; at = text.indexOf('kind', at + 4)) {
      const value = valueOfKey(text, at + 4, KIND_WORD);
      if (value === UNSURE) return 'yes';
      const also = value === undefined ? undefined : needs.get(value);
      if (value === undefined || also === undefined) continue;
      const admitted = getOrJudge(judged, value, () => also.length === 0 || also.some((s) => text.includes(s)));
      if (admitted && !joinedOnly.has(value)) return 'yes';
      named ||= admitted;
    }
    return named ? 'if-named' : 'no';
  };
}

/** Whether a `name:` key (any: metadata.name, a label ending in /name) of the text has one of these values; unsure = yes. Linear. */
export function holdsName(text: string, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  for (let at = text.indexOf('name'); at !== -1; at = text.indexOf('name', at + 4)) {
    const value = valueOfKey(text, at + 4, NAME_CHAR);
    if (value === UNSURE || (value !== undefined && names.has(value))) return true;
  }
  return false;
}

function getOrJudge(judged: Map<string, boolean>, key: string, judge: () => boolean): boolean {
  let found = judged.get(key);
  if (found === undefined) {
    found = judge();
    judged.set(key, found);
  }
  return found;
}

/** A value this scan cannot read plainly (a tag, an anchor, an alias, a block scalar, a comment): parse the file. */
const UNSURE = Symbol('unsure');
const KIND_WORD = /[A-Za-z0-9]/;
/** The characters of an object name (DNS-1123 subdomain, upper case too). */
const NAME_CHAR = /[A-Za-z0-9.-]/;

/**
 * The value after a key word ending at `from`, when the word is a mapping key (YAML or JSON, quoted or not): its
 * leading run of `chars`. Blanks (newlines too) are skipped once: the next look starts after them.
 */
function valueOfKey(text: string, from: number, chars: RegExp): string | undefined | typeof UNSURE {
  let i = from;
  if (text[i] === '"' || text[i] === "'") i++;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (text[i] !== ':') return undefined;
  i++;
  while (text[i] === ' ' || text[i] === '\t' || text[i] === '\r' || text[i] === '\n') i++;
  if (text[i] === '"' || text[i] === "'") i++;
  const start = i;
  while (i < text.length && chars.test(text[i])) i++;
  return i === start ? UNSURE : text.slice(start, i);
}
