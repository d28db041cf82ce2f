import type { Description, Finding } from './describe';

const MARK: Record<Finding['level'], string> = { ok: 'ok', info: 'info', warning: 'WARNING', error: 'ERROR' };

/** Plain-text rendering for the terminal: aligned labels, one value per line for lists. */
export function renderText(description: Description, indent = ''): string {
  const width = Math.max(0, ...description.fields.map((f) => f.label.length)) + 2;
  const lines = [`${indent}${description.title}`];
  for (const field of description.fields) {
    const values = Array.isArray(field.value) ? field.value : [field.value];
    const label = `${field.label}:`.padEnd(width);
    values.forEach((value, i) => lines.push(`${indent}  ${i === 0 ? label : ' '.repeat(width)}${sanitiseForTerminal(value)}`));
  }
  for (const finding of description.findings) lines.push(`${indent}  [${MARK[finding.level]}] ${sanitiseForTerminal(finding.text)}`);
  return lines.join('\n');
}

/** Certificate fields are untrusted: never let them carry terminal escape sequences or bidi overrides. */
export function sanitiseForTerminal(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}
