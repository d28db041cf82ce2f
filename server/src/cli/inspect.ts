import { parseArgs } from 'node:util';
import { objectValuesOfText } from '../engine/check/objectModel';
import { MAX_CONFIG_FILE_BYTES } from '../engine/check/workspace';
import { describeBlock } from '../engine/format/describe';
import { fileToJson } from '../engine/format/json';
import { renderText } from '../engine/format/text';
import { readTextFile } from '../engine/io/guardedRead';
import { PathGuard } from '../engine/io/pathGuard';
import { loadPkiFile } from '../engine/io/pkiFile';
import { displayJson, displayText } from '../engine/text/displayText';

/** The CLI reads the files its arguments name, wherever they are, and writes nothing. */
const READ_ARGUMENTS = PathGuard.forCli();

import { CliIO, EXIT_OK, EXIT_USAGE, parseFormat, parseInstant, UsageError } from './io';

export const INSPECT_USAGE = `Usage: kube-pki inspect FILE... [--format text|json] [--at ISO-8601]

Decodes every certificate, CSR, public and private key block of each FILE
(PEM or DER, detected by content). Private keys show only public facts.
A manifest's API objects (Secret data/stringData, caBundle, CSR, ClusterTrustBundle)
are decoded value by value, each labelled by object and key.
Exit 0, or 2 when a file cannot be read or a block cannot be decoded.`;

const MAX_ERRORS_PER_FILE = 20;

export async function runInspect(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string' }, at: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(INSPECT_USAGE);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError('inspect needs at least one FILE');
  const format = parseFormat(values.format);
  const at = parseInstant(values.at);

  let failed = false;
  const jsonFiles: unknown[] = [];
  const textParts: string[] = [];
  for (const path of positionals) {
    const objects = manifestValues(path);
    if (objects.length > 0) {
      failed = inspectValues(path, objects, format, at, io, { json: jsonFiles, text: textParts }) || failed;
      continue;
    }
    const file = await loadPkiFile(path, READ_ARGUMENTS);
    const blockErrors = file.blocks.filter((b) => b.error);
    if (file.error || blockErrors.length > 0) {
      failed = true;
      if (file.error) io.err(`kube-pki: ${displayText(path)}: ${displayText(file.error)}`);
      // A few lines per file say enough; a 10,000-block file must not flood the terminal.
      for (const b of blockErrors.slice(0, MAX_ERRORS_PER_FILE))
        io.err(`kube-pki: ${displayText(path)}: block ${b.index + 1}${b.range ? ` (line ${b.range.start.line + 1})` : ''}: ${displayText(b.error!)}`);
      if (blockErrors.length > MAX_ERRORS_PER_FILE)
        io.err(`kube-pki: ${displayText(path)}: ... and ${blockErrors.length - MAX_ERRORS_PER_FILE} more blocks that cannot be decoded`);
    }
    if (format === 'json') {
      jsonFiles.push(fileToJson(path, file, at));
      continue;
    }
    const lines = [`${displayText(path)}${file.format === 'der' ? ' (DER)' : ''}`];
    if (file.error) lines.push(`  ERROR: ${displayText(file.error)}`);
    for (const block of file.blocks) {
      if (block.range) lines.push(`  # block ${block.index + 1}, lines ${block.range.start.line + 1}-${block.range.end.line + 1}`);
      lines.push(renderText(describeBlock(block, at), '  '));
    }
    textParts.push(lines.join('\n'));
  }
  if (format === 'json') io.out(displayJson({ at: at.toISOString(), ok: !failed, files: jsonFiles }));
  else io.out(textParts.join('\n\n'));
  return failed ? EXIT_USAGE : EXIT_OK;
}

type ManifestValue = ReturnType<typeof objectValuesOfText>[number];

/** The API objects' values of a manifest; none for a PEM or DER file, or a file that cannot be read (loadPkiFile says why). */
function manifestValues(path: string): ManifestValue[] {
  try {
    const text = readTextFile(READ_ARGUMENTS, path);
    // Larger than a config file the check would parse: read as PEM/DER only.
    return text.length <= MAX_CONFIG_FILE_BYTES ? objectValuesOfText(path, text) : [];
  } catch {
    return [];
  }
}

/** Prints each value under its object and key; true when one of them does not decode. */
function inspectValues(path: string, values: ManifestValue[], format: string, at: Date, io: CliIO, out: { json: unknown[]; text: string[] }): boolean {
  let failed = false;
  const lines = [displayText(path)];
  for (const { title, value, target } of values) {
    const where = `line ${value.range.start.line + 1}`;
    if (target.status === 'invalid') {
      failed = true;
      io.err(`kube-pki: ${displayText(path)}: ${displayText(title)} (${where}): ${displayText(target.message)}`);
    }
    if (format === 'json') {
      if (target.status === 'ok') out.json.push({ ...fileToJson(path, target.decoded, at), object: title, line: value.range.start.line + 1 });
      continue;
    }
    lines.push(`  # ${displayText(title)}, ${where}`);
    if (target.status === 'ok') for (const block of target.decoded.blocks) lines.push(renderText(describeBlock(block, at), '  '));
    else if (target.status === 'invalid') lines.push(`  ERROR: ${displayText(target.message)}`);
    else lines.push(`  (${target.why}: not decoded)`);
  }
  if (format !== 'json') out.text.push(lines.join('\n'));
  return failed;
}
