// The one set of rules for showing untrusted text (certificate fields, file names, YAML values):
// characters that act instead of showing (terminal escapes, bidi reordering, line breaks) or that
// cannot be seen are written as escapes, so what a user reads is what the text holds. Every face
// (CLI text and JSON, hovers, lenses, symbols, diagnostics, the tree view, the preview) uses it.

/**
 * C0 controls, DEL, C1 controls; bidi embeddings, overrides, isolates and marks (U+202A-202E,
 * U+2066-2069, U+200E, U+200F, U+061C); line and paragraph separators (U+2028, U+2029); the
 * invisible zero width space and byte order mark (U+200B, U+FEFF). One character class: linear.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
const UNSAFE_ONE = new RegExp(UNSAFE.source);
/** The same without tab and newline, which a layout (the CLI's lines and columns) uses on purpose. */
const UNSAFE_IN_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** `\x1b` for a control character (below U+0100), `\u202e` for the others: how a C or JavaScript string would spell it. */
export function escapeCharacter(character: string): string {
  const code = character.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `[U+202E]`: the marker the preview panel shows (a backslash escape reads as code in prose). */
export function codePointMarker(character: string): string {
  return `[U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`;
}

/** Whether a character is one that `displayText` escapes. */
export function isUnsafeCharacter(character: string): boolean {
  return UNSAFE_ONE.test(character);
}

/**
 * Untrusted text as one inert line: every unsafe character, tab and newline included, escaped.
 * Use it where untrusted text enters a layout, so it can neither act nor start a fake line.
 */
export function displayText(text: string, escape: (character: string) => string = escapeCharacter): string {
  return text.replace(UNSAFE, escape);
}

/**
 * A whole layout (lines of output): its tabs and newlines are kept, every other unsafe character
 * is escaped. The CLI's streams write through it, a backstop for text that skipped `displayText`.
 */
export function displayLayout(text: string): string {
  return text.replace(UNSAFE_IN_LAYOUT, escapeCharacter);
}

/**
 * JSON for a terminal or a file: `JSON.stringify` escapes C0 controls but leaves DEL, C1, bidi
 * controls, U+2028/2029 and invisible characters raw; they are written as `\uXXXX` escapes, so the
 * output is the same data, still valid JSON. Outside strings JSON holds only ASCII layout.
 */
export function displayJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_LAYOUT, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** VS Code draws `$(name)` as an icon in code lens titles, tree labels and descriptions: `\$(` shows it as text (VS Code's escapeIcons). */
export function escapeIcons(text: string): string {
  return text.replaceAll('$(', '\\$(');
}

/** Untrusted text for a code lens title or a tree label: inert, and no icons. */
export function displayLabel(text: string): string {
  return escapeIcons(displayText(text));
}
