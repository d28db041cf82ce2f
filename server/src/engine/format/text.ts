import { displayText } from '../text/displayText';
import type { Description, Finding } from './describe';

const MARK: Record<Finding['level'], string> = { ok: 'ok', info: 'info', warning: 'WARNING', error: 'ERROR' };

/** Plain-text rendering for the terminal: aligned labels, one value per line for lists. Every piece is untrusted text: none may act or start a line. */
export function renderText(description: Description, indent = ''): string {
  const width = Math.max(0, ...description.fields.map((f) => displayText(f.label).length)) + 2;
  const lines = [`${indent}${displayText(description.title)}`];
  for (const field of description.fields) {
    const values = Array.isArray(field.value) ? field.value : [field.value];
    const label = `${displayText(field.label)}:`.padEnd(width);
    values.forEach((value, i) => lines.push(`${indent}  ${i === 0 ? label : ' '.repeat(width)}${displayText(value)}`));
  }
  for (const finding of description.findings) lines.push(`${indent}  [${MARK[finding.level]}] ${displayText(finding.text)}`);
  return lines.join('\n');
}
