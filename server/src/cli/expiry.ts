import { promises as fs } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ExpiryRow, ExpiryTable, needsRenewal } from '../engine/check/expiryTable';
import { PathGuard } from '../engine/io/pathGuard';
import { createKubePkiService } from '../engine/service';
import { displayJson, displayText } from '../engine/text/displayText';
import { DEFAULT_EXPIRY_WARNING_DAYS } from '../engine/verify/validity';
import { CliIO, EXIT_OK, EXIT_REJECTED, EXIT_USAGE, parseFormat, parseInstant, UsageError } from './io';

export const EXPIRY_USAGE = `Usage: kube-pki expiry [DIR...] [--format text|json] [--expiry-warning DAYS] [--now ISO-8601]

Lists every certificate the configuration under each DIR (default .) uses,
in files or embedded in kubeconfigs (*-data), as kubeadm certs check-expiration
does: what it is, where, when it expires, the CA that signed it and whether
that CA's key is in the tree. Then the CAs. Soonest first. Certificates nothing
references (kube-pki's .bak-<time> copies, kubelet's rotated
kubelet-client-<date>.pem) are listed after, marked so.
Exit 0 when no referenced certificate or CA is expired or within
--expiry-warning days (default ${DEFAULT_EXPIRY_WARNING_DAYS}), 1 when one is, 2 on usage or I/O error.
Unreferenced certificates never change the exit code.`;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** kubeadm's EXPIRES column: "Dec 30, 2027 23:36 UTC". */
function expires(iso: string): string {
  const d = new Date(iso);
  return `${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())}, ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

const where = (row: ExpiryRow) => (row.field === null ? row.file : `${row.file} (${row.field})`);
const managed = (row: ExpiryRow) => (row.caKeyPresent ? 'no' : 'yes');

/** Columns padded to their widest cell; every cell is escaped before it is measured. */
function table(header: string[], rows: string[][]): string[] {
  const cells = [header, ...rows.map((r) => r.map((c) => displayText(c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 3))).join(''));
}

function toText(t: ExpiryTable, warningDays: number): string {
  const leaf = (r: ExpiryRow) => [r.role, where(r), expires(r.notAfter), r.residual, r.ca ?? '', managed(r)];
  const lines = table(
    ['CERTIFICATE', 'WHERE', 'EXPIRES', 'RESIDUAL TIME', 'CERTIFICATE AUTHORITY', 'EXTERNALLY MANAGED'],
    t.certificates.filter((r) => r.referenced).map(leaf),
  );
  const cas = t.authorities.filter((r) => r.referenced);
  lines.push(
    '',
    ...table(
      ['CERTIFICATE AUTHORITY', 'WHERE', 'EXPIRES', 'RESIDUAL TIME', 'EXTERNALLY MANAGED'],
      cas.map((r) => [r.role, where(r), expires(r.notAfter), r.residual, managed(r)]),
    ),
  );
  const unused = [...t.certificates, ...t.authorities].filter((r) => !r.referenced);
  if (unused.length > 0) {
    lines.push('', 'NOT REFERENCED (nothing in the configuration uses them; they never change the exit code)');
    lines.push(
      ...table(
        ['CERTIFICATE', 'WHERE', 'EXPIRES', 'RESIDUAL TIME', 'CERTIFICATE AUTHORITY'],
        unused.map((r) => leaf(r).slice(0, 5)),
      ),
    );
  }
  const due = [...t.certificates, ...t.authorities].filter((r) => r.referenced && (r.status === 'expired' || r.status === 'expiring'));
  const used = t.certificates.length + t.authorities.length - unused.length;
  lines.push(
    '',
    due.length === 0
      ? `✓ none expired or within ${warningDays} days (${used} certificate${used === 1 ? '' : 's'})`
      : `✖ ${due.length} expired or within ${warningDays} days: ${due.map((r) => displayText(r.role)).join(', ')}`,
  );
  return lines.join('\n');
}

function toJson(t: ExpiryTable): string {
  const row = (r: ExpiryRow) => ({
    role: r.role,
    file: r.file,
    field: r.field,
    line: r.line + 1,
    subject: r.subject,
    notAfter: r.notAfter,
    daysLeft: r.daysLeft,
    ca: r.ca,
    caKeyPresent: r.caKeyPresent,
    referenced: r.referenced,
    referencedBy: r.referencedBy.map((b) => ({ file: b.file, line: b.line + 1, component: b.component, name: b.name })),
  });
  return displayJson({ version: 1, certificates: t.certificates.map(row), authorities: t.authorities.map(row) });
}

/** Paths relative to DIR (to the working folder, DIR included, when several DIRs are listed). */
function relativeTo(t: ExpiryTable, boundary: string, prefix: string | undefined): ExpiryTable {
  const shown = (file: string) => {
    const rel = relative(boundary, file) || file;
    return prefix === undefined ? rel : `${prefix}/${rel}`;
  };
  const row = (r: ExpiryRow): ExpiryRow => ({ ...r, file: shown(r.file), referencedBy: r.referencedBy.map((b) => ({ ...b, file: shown(b.file) })) });
  return { certificates: t.certificates.map(row), authorities: t.authorities.map(row) };
}

/** Several DIRs make one table: referenced first, each part soonest first. */
function merge(tables: ExpiryTable[]): ExpiryTable {
  const order = (a: ExpiryRow, b: ExpiryRow) =>
    Number(b.referenced) - Number(a.referenced) || a.notAfter.localeCompare(b.notAfter) || a.role.localeCompare(b.role) || a.file.localeCompare(b.file);
  return {
    certificates: tables.flatMap((t) => t.certificates).sort(order),
    authorities: tables.flatMap((t) => t.authorities).sort(order),
  };
}

export async function runExpiry(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string' }, now: { type: 'string' }, 'expiry-warning': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(EXPIRY_USAGE);
    return EXIT_OK;
  }
  const format = parseFormat(values.format);
  const now = parseInstant(values.now);
  const expiryWarningDays = values['expiry-warning'] === undefined ? DEFAULT_EXPIRY_WARNING_DAYS : Number(values['expiry-warning']);
  if (!Number.isInteger(expiryWarningDays) || expiryWarningDays < 0)
    throw new UsageError(`--expiry-warning needs a whole number of days, not "${values['expiry-warning']}"`);
  const dirs = positionals.length > 0 ? positionals : ['.'];
  for (const dir of dirs) {
    const stat = await fs.stat(dir).catch(() => undefined);
    if (!stat?.isDirectory()) {
      io.err(`kube-pki expiry: ${displayText(dir)}: ${stat ? 'not a directory' : 'no such directory'}`);
      return EXIT_USAGE;
    }
  }
  const service = createKubePkiService({ guard: () => PathGuard.forCli() });
  const tables: ExpiryTable[] = [];
  for (const dir of dirs) {
    const prefix = dirs.length > 1 ? relative(process.cwd(), resolve(dir)) || '.' : undefined;
    tables.push(relativeTo(await service.expiry(dir, { now, expiryWarningDays }), resolve(dir), prefix));
  }
  const result = tables.length === 1 ? tables[0] : merge(tables);
  io.out(format === 'json' ? toJson(result) : toText(result, expiryWarningDays));
  return needsRenewal(result) ? EXIT_REJECTED : EXIT_OK;
}
