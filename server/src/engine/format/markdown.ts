import { displayText } from '../text/displayText';
import type { Description, Finding } from './describe';

const ICON: Record<Finding['level'], string> = { ok: '✓', info: 'ℹ', warning: '⚠', error: '✗' };

// Characters Markdown (CommonMark + GFM, as VS Code renders hovers) interprets inside a line:
// escapes, code, emphasis, links and images, raw HTML and autolinks, entities, strikethrough, tables.
const INLINE = /[\\`*_[\]<&~|]/g;
// GFM extended autolinks (http://, https://, ftp://, www., a@b.c) and VS Code's $(icon) syntax.
const AUTOLINK_OR_ICON = /:\/\/|www\.|@|\$\(/gi;

/**
 * Untrusted text as inert Markdown inside a line (after an icon, a label or `**`) that still reads as
 * itself where an editor shows the Markdown source (Neovim shows `kube\-apiserver` for a needless
 * escape): control, bidi and invisible characters as escapes (displayText), then a backslash only
 * before what Markdown interprets inside a line, autolinks and icons. Block syntax (`#`, `-`, `1.`,
 * `>`) acts only at a line's start, which the text never takes: its newlines are escaped.
 */
export function escapeMarkdown(text: string): string {
  return displayText(text)
    .replace(INLINE, '\\$&')
    .replace(AUTOLINK_OR_ICON, (m) => (m === '@' ? '\\@' : m === '$(' ? '$\\(' : m === '://' ? ':\\//' : `${m.slice(0, 3)}\\.`));
}

/**
 * Untrusted text as a CommonMark code span: nothing inside is interpreted. The fence is one backtick
 * longer than the longest run inside, and a space pads content that starts or ends with a backtick
 * (or with a space at both ends, which CommonMark strips once).
 */
export function codeSpan(text: string): string {
  const shown = displayText(text);
  let longest = 0;
  let run = 0;
  for (const character of shown) {
    run = character === '`' ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const fence = '`'.repeat(longest + 1);
  const pad = shown === '' || shown.startsWith('`') || shown.endsWith('`') || (shown.startsWith(' ') && shown.endsWith(' ') && shown.trim() !== '');
  return pad ? `${fence} ${shown} ${fence}` : `${fence}${shown}${fence}`;
}

/** A hover lists at most this many values of one field (a certificate may carry 10,000 SANs); the preview shows all. */
export const HOVER_MAX_VALUES = 50;

function listValues(values: string[]): string {
  const shown = values.slice(0, HOVER_MAX_VALUES).map(escapeMarkdown);
  if (values.length > HOVER_MAX_VALUES) shown.push(`… and ${values.length - HOVER_MAX_VALUES} more`);
  return shown.join(', ');
}

/** Lines of one hover paragraph: a hard line break (two spaces) between them, which every renderer keeps. */
export function joinLines(lines: string[]): string {
  return lines.join('  \n');
}

/** A verdict line: its icon, then the text escaped. */
export function verdictLine(finding: Finding): string {
  return `${ICON[finding.level]} ${escapeMarkdown(finding.text)}`;
}

// The fields a hover shows (under a shorter label); the others are behind "Show all fields".
const ESSENTIAL: Record<string, string> = {
  Subject: 'Subject',
  'Subject Alternative Names': 'SANs',
  Validity: 'Validity',
  'Extended Key Usage': 'EKU',
  'Requested SANs': 'Requested SANs',
  'Requested Extended Key Usage': 'Requested EKU',
  'Public key SHA-256': 'Public key SHA-256',
};
// Hex values: a code span, so they neither overflow as one word of prose nor read as Markdown.
const HEX = new Set(['Serial', 'Subject Key ID', 'Authority Key ID', 'SHA-256 fingerprint', 'SHA-1 fingerprint', 'Public key SHA-256']);
/** How many bytes of a hex value a hover shows before "…" (the preview shows it whole). */
const HEX_BYTES_SHOWN = 8;

function fieldLine(label: string, values: string[], short: boolean): string {
  if (HEX.has(label) && values.length === 1) {
    const bytes = values[0].split(':');
    const shown = short && bytes.length > HEX_BYTES_SHOWN ? `${bytes.slice(0, HEX_BYTES_SHOWN).join(':')}…` : values[0];
    return `${escapeMarkdown(label)}: ${codeSpan(shown)}`;
  }
  return `${escapeMarkdown(label)}: ${listValues(values)}`;
}

/** "2026-11-23T21:30:06Z to 2036-11-20T21:30:06Z (expires in 3642 days)" -> "2026-11-23 → 2036-11-20". */
function validityDates(value: string): string {
  return value
    .replace(/ \(.*\)$/, '')
    .replace(/T\d\d:\d\d:\d\dZ/g, '')
    .replace(' to ', ' → ');
}

/** A description in the hover's three parts: its verdicts, its essential fields, and the rest of its fields. */
export interface HoverSections {
  verdicts: string[];
  essentials: string[];
  rest: string[];
}

export function hoverSections(description: Description): HoverSections {
  const essentials: string[] = [];
  const rest: string[] = [];
  // A key's or CSR's hover compares by its public key hash; a certificate's says "its key matches" instead, so its hash waits in the rest.
  const certificate = description.fields.some((f) => f.label === 'SHA-256 fingerprint');
  for (const field of description.fields) {
    const values = Array.isArray(field.value) ? field.value : [field.value];
    const label = certificate && field.label === 'Public key SHA-256' ? undefined : ESSENTIAL[field.label];
    // The title already names the subject; the hover's validity is the dates (the days left are its expiry verdict, said once).
    if (field.label === 'Subject' && description.title.endsWith(` ${values[0]}`)) continue;
    const shown = field.label === 'Validity' ? values.map(validityDates) : values;
    if (label) essentials.push(fieldLine(label, shown, true));
    else rest.push(fieldLine(field.label, values, false));
  }
  return { verdicts: description.findings.map(verdictLine), essentials, rest };
}

/** The title of a description, bold. */
export function titleLine(description: Description): string {
  return `**${escapeMarkdown(description.title)}**`;
}

/** Markdown for a hover: the title and verdicts first, then the essential fields; `rest` holds the others. */
export function renderMarkdown(description: Description): { markdown: string; rest: string } {
  const sections = hoverSections(description);
  const parts = [joinLines([titleLine(description), ...sections.verdicts])];
  if (sections.essentials.length) parts.push(joinLines(sections.essentials));
  return { markdown: parts.join('\n\n'), rest: joinLines(sections.rest) };
}

/** Every field of a description in the hover's form (the CLI's and the preview's are their own). */
export function renderAllMarkdown(description: Description): string {
  const { markdown, rest } = renderMarkdown(description);
  return rest ? `${markdown}\n\n${rest}` : markdown;
}
