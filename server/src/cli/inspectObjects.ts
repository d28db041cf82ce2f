import { objectValuesOfText } from '../engine/check/objectModel';
import { MAX_CONFIG_FILE_BYTES } from '../engine/check/workspace';
import { describeBlock } from '../engine/format/describe';
import { fileToJson } from '../engine/format/json';
import { renderText } from '../engine/format/text';
import { displayText } from '../engine/text/displayText';
import type { CliIO } from './io';

export type ManifestValue = ReturnType<typeof objectValuesOfText>[number];

/** The API objects' values of a manifest's text; none for a PEM, DER or PKCS#12 file, a kubeconfig, or text that does not parse. */
export function manifestValues(path: string, text: string): ManifestValue[] {
  try {
    // Larger than a config file the check would parse: read as PEM/DER only.
    return text.length <= MAX_CONFIG_FILE_BYTES ? objectValuesOfText(path, text) : [];
  } catch {
    return [];
  }
}

/** Prints each value under its object and key (JSON: one entry per value, text: one part per file); true when one does not decode. */
export function inspectValues(path: string, values: ManifestValue[], format: string, at: Date, io: CliIO, parts: unknown[]): boolean {
  let failed = false;
  const lines = [displayText(path)];
  for (const { title, value, target } of values) {
    const where = `line ${value.range.start.line + 1}`;
    if (target.status === 'invalid') {
      failed = true;
      io.err(`kube-pki: ${displayText(path)}: ${displayText(title)} (${where}): ${displayText(target.message)}`);
    }
    if (format === 'json') {
      if (target.status === 'ok') parts.push({ ...fileToJson(path, target.decoded, at), object: title, line: value.range.start.line + 1 });
      continue;
    }
    lines.push(`  # ${displayText(title)}, ${where}`);
    if (target.status === 'ok') for (const block of target.decoded.blocks) lines.push(renderText(describeBlock(block, at), '  '));
    else if (target.status === 'invalid') lines.push(`  ERROR: ${displayText(target.message)}`);
    else lines.push(`  (${target.why}: not decoded)`);
  }
  if (format !== 'json') parts.push(lines.join('\n'));
  return failed;
}
