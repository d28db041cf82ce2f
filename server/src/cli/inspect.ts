import { parseArgs } from 'node:util';
import { MAX_CONFIG_FILE_BYTES } from '../engine/check/workspace';
import { describeBlock } from '../engine/format/describe';
import { blockToJson, fileToJson } from '../engine/format/json';
import { renderText } from '../engine/format/text';
import { readRegularFile } from '../engine/io/guardedRead';
import { PathGuard } from '../engine/io/pathGuard';
import { decodePkiRead, describeFsError, readPkiBytes } from '../engine/io/pkiFile';
import type { DecodedFile } from '../engine/pki/decode';
import { inspectKubeconfigText, KubeconfigEntry } from '../engine/run/inspectKubeconfig';
import { displayJson, displayText } from '../engine/text/displayText';

/** The CLI reads the files its arguments name, wherever they are, and writes nothing. */
const READ_ARGUMENTS = PathGuard.forCli();

import { inspectValues, manifestValues } from './inspectObjects';
import { CliIO, EXIT_OK, EXIT_USAGE, parseFormat, parseInstant, UsageError } from './io';

export const INSPECT_USAGE = `Usage: kube-pki inspect FILE... [--format text|json] [--at ISO-8601] [--password PASS | --password-file FILE]

Decodes every certificate, CSR, public and private key block of each FILE
(PEM, DER or PKCS#12, detected by content). A PKCS#12 (.p12, .pfx) file is
opened with the empty password, then the one given (--password-file: its
first line). A kubeconfig shows what each cluster and
user carries: every *-data value and every file it names (relative to the
kubeconfig). A manifest's API objects (Secret data/stringData, caBundle, CSR,
ClusterTrustBundle) are decoded value by value, each labelled by object and
key. Private keys show only public facts.
Exit 0, or 2 when a file cannot be read or a block cannot be decoded.`;

const MAX_ERRORS_PER_FILE = 20;
const MAX_PASSWORD_FILE_BYTES = 64 * 1024;

/** One argument, read: a PKI file, or a kubeconfig and what its fields hold. */
type Inspected = { path: string; file: DecodedFile; entries?: undefined } | { path: string; file?: undefined; entries: KubeconfigEntry[] };

export async function runInspect(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      at: { type: 'string' },
      password: { type: 'string' },
      'password-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(INSPECT_USAGE);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError('inspect needs at least one FILE');
  const format = parseFormat(values.format);
  const at = parseInstant(values.at);
  const passwords = readPasswords(values.password, values['password-file']);

  let failed = false;
  const parts: unknown[] = [];
  for (const path of positionals) {
    // Read once, through the guard: the same bytes are a manifest, a PKI file or a kubeconfig.
    const read = readPkiBytes(path, READ_ARGUMENTS);
    const text = 'bytes' in read ? Buffer.from(read.bytes).toString('utf8') : undefined;
    const objects = text === undefined ? [] : manifestValues(path, text);
    if (objects.length > 0) {
      failed = inspectValues(path, objects, format, at, io, parts) || failed;
      continue;
    }
    const inspected = await inspect(path, read, text, passwords);
    const sources = inspected.entries
      ? inspected.entries.map((e) => ({ where: `${path}: ${entryName(e)}`, file: e.decoded }))
      : [{ where: path, file: inspected.file }];
    for (const { where, file } of sources) if (reportErrors(where, file, io)) failed = true;
    parts.push(format === 'json' ? toJson(inspected, at) : toText(inspected, at));
  }
  if (format === 'json') io.out(displayJson({ at: at.toISOString(), ok: !failed, files: parts }));
  else io.out(parts.join('\n\n'));
  return failed ? EXIT_USAGE : EXIT_OK;
}

/** A file that holds no PEM and is a kubeconfig is read as one (the check and the hover read its data the same way). */
async function inspect(path: string, read: ReturnType<typeof readPkiBytes>, text: string | undefined, passwords: readonly string[]): Promise<Inspected> {
  const file = decodePkiRead(read, passwords);
  if (file.format !== 'none' || !file.error?.startsWith('no PEM block')) return { path, file };
  // A kubeconfig larger than a config file the check would parse is not read as one.
  const small = 'bytes' in read && text !== undefined && read.bytes.length <= MAX_CONFIG_FILE_BYTES;
  const entries = small ? await inspectKubeconfigText(path, text, READ_ARGUMENTS) : undefined;
  return entries ? { path, entries } : { path, file };
}

/** A PKCS#12 password: given, or the first line of a file (openssl's `-passin file:`), read through the guard. */
function readPasswords(password: string | undefined, file: string | undefined): string[] {
  if (password !== undefined && file !== undefined) throw new UsageError('give --password or --password-file, not both');
  if (file === undefined) return password === undefined ? [] : [password];
  let text: string;
  try {
    const read = readRegularFile(file, READ_ARGUMENTS, MAX_PASSWORD_FILE_BYTES);
    if (!read.bytes) throw new UsageError(`--password-file ${file}: larger than ${MAX_PASSWORD_FILE_BYTES} bytes`);
    text = Buffer.from(read.bytes).toString('utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--password-file ${file}: ${describeFsError(e)}`);
  }
  const end = text.search(/\r?\n/);
  return [end === -1 ? text : text.slice(0, end)];
}

function entryName(entry: KubeconfigEntry): string {
  return `${entry.section} "${entry.name}" ${entry.field}`;
}

/** Says on stderr what could not be read or decoded; true when anything could not. */
function reportErrors(where: string, file: DecodedFile, io: CliIO): boolean {
  const blockErrors = file.blocks.filter((b) => b.error);
  if (!file.error && blockErrors.length === 0) return false;
  if (file.error) io.err(`kube-pki: ${displayText(where)}: ${displayText(file.error)}`);
  // A few lines per file say enough; a 10,000-block file must not flood the terminal.
  for (const b of blockErrors.slice(0, MAX_ERRORS_PER_FILE))
    io.err(`kube-pki: ${displayText(where)}: block ${b.index + 1}${b.range ? ` (line ${b.range.start.line + 1})` : ''}: ${displayText(b.error!)}`);
  if (blockErrors.length > MAX_ERRORS_PER_FILE)
    io.err(`kube-pki: ${displayText(where)}: ... and ${blockErrors.length - MAX_ERRORS_PER_FILE} more blocks that cannot be decoded`);
  return true;
}

const FORMAT_NOTE: Record<DecodedFile['format'], string> = { pem: '', der: ' (DER)', pkcs12: ' (PKCS#12)', none: '' };

function toText(inspected: Inspected, at: Date): string {
  if (!inspected.entries) {
    const { path, file } = inspected;
    const lines = [`${displayText(path)}${FORMAT_NOTE[file.format]}`];
    if (file.error) lines.push(`  ERROR: ${displayText(file.error)}`);
    for (const block of file.blocks) {
      if (block.range) lines.push(`  # block ${block.index + 1}, lines ${block.range.start.line + 1}-${block.range.end.line + 1}`);
      else if (file.format === 'pkcs12') lines.push(`  # block ${block.index + 1}: ${block.label}`);
      lines.push(renderText(describeBlock(block, at), '  '));
    }
    return lines.join('\n');
  }
  const lines = [`${displayText(inspected.path)} (kubeconfig)`];
  if (inspected.entries.length === 0) lines.push('  no certificate, key or CA data');
  for (const entry of inspected.entries) {
    const heading = `  # ${displayText(entryName(entry))}, line ${entry.line}${entry.file === null ? '' : `: ${displayText(entry.file)}`}`;
    const { decoded } = entry;
    if (decoded.error) lines.push(heading, `  ERROR: ${displayText(decoded.error)}`);
    for (const block of decoded.blocks) {
      lines.push(decoded.blocks.length > 1 ? `${heading}, block ${block.index + 1}` : heading);
      lines.push(renderText(describeBlock(block, at), '  '));
    }
  }
  return lines.join('\n');
}

function toJson(inspected: Inspected, at: Date): unknown {
  if (!inspected.entries) return fileToJson(inspected.path, inspected.file, at);
  const entries = inspected.entries.map((e) => ({
    section: e.section,
    name: e.name,
    field: e.field,
    line: e.line,
    file: e.file,
    format: e.decoded.format,
    error: e.decoded.error ?? null,
    blocks: e.decoded.blocks.map((b) => blockToJson(b, at)),
  }));
  return { path: inspected.path, format: 'kubeconfig', error: null, blocks: [], entries };
}
