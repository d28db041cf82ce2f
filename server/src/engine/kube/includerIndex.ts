import { dirname, resolve, sep } from 'node:path';

/**
 * Which kustomizations may name a path, found without parsing them: a prefilter over their text, keyed by the
 * path each word would name as an entry (the word resolved from the kustomization's folder, as an entry of
 * `resources`, `bases` or `components` is: `../../bases/app-1` in clusters/prod/app-1 -> bases/app-1). An entry
 * is written as one word: a plain or quoted scalar is delimited by blanks, quotes, flow brackets or commas, and
 * what YAML could rewrite inside one (an escape, a folded line, a doubled quote) puts a backslash in the text or
 * a delimiter in the value. So a kustomization whose text holds a backslash is a candidate for every path, and
 * a path holding a delimiter gets every kustomization: the scan may add candidates, never drop one; they are
 * then parsed and resolved as usual. Keyed by the whole path, not its last segment: a generated repository
 * names `deployment.yaml` in thousands of kustomizations, each of which includes only its own folder's.
 * Linear: one pass over each text, no regex; a word is resolved by path.resolve only when it has `.`/`..`
 * segments, doubled or leading slashes.
 */

/** What ends a word: YAML's blanks, quotes, flow brackets and commas. */
const DELIMITERS = new Set([' ', '\t', '\r', '\n', '"', "'", '[', ']', '{', '}', ',']);
/** DELIMITERS by character code (all ASCII): the scan looks at every character of every kustomization. */
const DELIMITER_CODES = new Uint8Array(128);
for (const d of DELIMITERS) DELIMITER_CODES[d.charCodeAt(0)] = 1;

/**
 * The path the word text[start, end) names from `folder`, as path.resolve would make it; undefined when it is a
 * plain join whose last segment is in no path of `names` (most words: `apiVersion:`, `kind:`, `-`), so no path is built.
 */
function named(folder: string, text: string, start: number, end: number, names?: ReadonlySet<string>): string | undefined {
  let stop = end;
  while (stop > start + 1 && text[stop - 1] === '/') stop--;
  const word = text.slice(start, stop);
  // Already normal (no `.`/`..` segment, no doubled or leading slash): joined as resolve would join it.
  const normal =
    sep === '/' && !folder.endsWith('/') && word[0] !== '/' && !word.includes('//') && !`/${word}/`.includes('/./') && !`/${word}/`.includes('/../');
  if (!normal) return resolve(folder, word);
  // A joined path's last segment is the word's: a name no kept path ends with cannot be kept.
  if (names && !names.has(word.slice(word.lastIndexOf('/') + 1))) return undefined;
  return `${folder}/${word}`;
}

/** The last segment of each path: what IncluderIndex needs to drop a word without building its path. */
export function lastSegments(paths: Iterable<string>): Set<string> {
  const names = new Set<string>();
  for (const path of paths) names.add(path.slice(path.lastIndexOf(sep) + 1));
  return names;
}

export class IncluderIndex {
  private readonly byPath = new Map<string, string[]>();
  /** Kustomizations the scan cannot rule out for any path. */
  private readonly always: string[] = [];
  private readonly all: string[] = [];

  /**
   * `leads`: whether a path may be an entry's target (a listed file, a folder holding some): other words are not kept.
   * `names`: the last segments of every path `leads` accepts (lastSegments), or undefined to build every word's path.
   */
  constructor(
    private readonly leads: (path: string) => boolean,
    private readonly names?: ReadonlySet<string>,
  ) {}

  /** Indexes one kustomization's text under the path each word names. */
  add(path: string, text: string): void {
    this.all.push(path);
    if (text.includes('\\')) return void this.always.push(path);
    const folder = dirname(path);
    const keys = new Set<string>();
    let start = 0;
    for (let i = 0; i <= text.length; i++) {
      if (i < text.length) {
        const code = text.charCodeAt(i);
        if (code >= 128 || DELIMITER_CODES[code] === 0) continue;
      }
      if (i > start) {
        const key = named(folder, text, start, i, this.names);
        if (key !== undefined) keys.add(key);
      }
      start = i + 1;
    }
    for (const key of keys) {
      if (!this.leads(key)) continue;
      const list = this.byPath.get(key);
      if (list) list.push(path);
      else this.byPath.set(key, [path]);
    }
  }

  /** The kustomizations that may name `path` (absolute, resolved): every one, for a path a word cannot hold. */
  candidates(path: string): readonly string[] {
    for (const c of path) if (DELIMITERS.has(c) || c === '\\') return this.all;
    const found = this.byPath.get(path);
    if (!found) return this.always;
    return this.always.length === 0 ? found : [...found, ...this.always];
  }
}
