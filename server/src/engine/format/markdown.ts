import { displayText } from '../text/displayText';
import type { Description, Finding } from './describe';

const ICON: Record<Finding['level'], string> = { ok: '✓', info: 'ℹ', warning: '⚠', error: '✗' };

/**
 * Escapes untrusted text for Markdown: control, bidi, line-separator and
 * invisible characters are shown as escapes (`\x1b`, `\u202e`; displayText),
 * then every punctuation character that Markdown or HTML could interpret is
 * backslash-escaped, so a crafted subject renders as inert, visible text.
 */
export function escapeMarkdown(text: string): string {
  return displayText(text).replace(/[\\`*_{}[\]()#+\-.!|<>&~:"'=]/g, '\\$&');
}

/** A hover lists at most this many values of one field (a certificate may carry 10,000 SANs); the preview shows all. */
export const HOVER_MAX_VALUES = 50;

function listValues(values: string[]): string {
  const shown = values.slice(0, HOVER_MAX_VALUES).map(escapeMarkdown);
  if (values.length > HOVER_MAX_VALUES) shown.push(`… and ${values.length - HOVER_MAX_VALUES} more`);
  return shown.join(', ');
}

/** Markdown rendering for hovers: a bold title, a field table, then the findings. */
export function renderMarkdown(description: Description): string {
  const lines = [`**${escapeMarkdown(description.title)}**`, ''];
  if (description.fields.length > 0) {
    lines.push('| | |', '|---|---|');
    for (const field of description.fields) {
      const values = Array.isArray(field.value) ? field.value : [field.value];
      lines.push(`| ${escapeMarkdown(field.label)} | ${listValues(values)} |`);
    }
    lines.push('');
  }
  for (const finding of description.findings) lines.push(`${ICON[finding.level]} ${escapeMarkdown(finding.text)}  `);
  return lines.join('\n').trimEnd();
}
