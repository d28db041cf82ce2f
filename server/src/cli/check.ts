import { promises as fs } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { Finding } from '../engine/check/ruleContext';
import { PathGuard } from '../engine/io/pathGuard';
import { RULES, ruleOf } from '../engine/rules';
import { isRuleLevel, RULE_LEVELS, RuleLevel } from '../engine/rules/severityOverrides';
import { PROJECT_CONFIG_FILE } from '../engine/run/projectConfig';
import type { CheckReport } from '../engine/run/runCheck';
import { createKubePkiService } from '../engine/service';
import { displayJson, displayText } from '../engine/text/displayText';
import { CliIO, EXIT_OK, EXIT_REJECTED, EXIT_USAGE, parseInstant, UsageError } from './io';

export const CHECK_USAGE = `Usage: kube-pki check [DIR...] [--format text|json|sarif] [--root DIR] [--now ISO-8601] [--expiry-warning DAYS] [--rule CODE=LEVEL]...
                      [--exclude GLOB]... [--no-gitignore]

Finds every static pod manifest, kubeconfig, KubeletConfiguration and kubeadm
config under each DIR (default .), resolves the certificate, key and CA paths
they name, and checks every trust edge: files present and mounted, CAs, key
pairs, SANs, EKUs, identities, expiry, weak keys, key permissions.
--rule CODE=off|error|warning|information|hint sets a rule's level; it wins
over the rules of DIR/.kube-pki.yaml, which win over the defaults.
--exclude GLOB (relative to DIR, repeatable; with DIR/.kube-pki.yaml's exclude)
and, inside a git work tree, .gitignore'd paths are not scanned (--no-gitignore:
they are); a reference naming an excluded file still resolves and is checked.
Exit 0 when no error, 1 when errors, 2 on usage or I/O error.`;

interface Located extends Finding {
  relativeFile: string;
}

function locate(report: CheckReport, finding: Finding): Located {
  return { ...finding, relativeFile: relative(report.boundary, finding.file) || finding.file };
}

function toText(reports: CheckReport[]): string {
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const report of reports) {
    const byFile = new Map<string, Located[]>();
    // Appended in place: a copy per finding was quadratic in a file's findings.
    for (const f of report.findings.map((f) => locate(report, f))) {
      const findings = byFile.get(f.relativeFile);
      if (findings) findings.push(f);
      else byFile.set(f.relativeFile, [f]);
    }
    for (const [file, findings] of byFile) {
      lines.push('', displayText(reports.length > 1 ? `${relative(process.cwd(), report.boundary) || '.'}/${file}` : file));
      for (const f of findings) {
        lines.push(`  ${f.range.start.line + 1}:${f.range.start.character + 1}  ${f.severity.padEnd(11)}  ${displayText(f.message)}  ${f.code}`);
        if (f.severity === 'error') errors++;
        else if (f.severity === 'warning') warnings++;
        else infos++;
      }
    }
    for (const w of report.warnings) lines.push(`note: ${displayText(relative(report.boundary, w.path) || w.path)}: ${displayText(w.message)}`);
  }
  const total = errors + warnings + infos;
  const scanned = reports.reduce((n, r) => n + r.configFiles, 0);
  lines.push(
    '',
    total === 0
      ? `✓ no problems (${scanned} config files checked)`
      : `✖ ${total} problem${total === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${infos ? `, ${infos} information` : ''}) in ${scanned} config files`,
  );
  return lines.join('\n').replace(/^\n/, '');
}

function toJson(reports: CheckReport[]): string {
  const diagnostics = reports.flatMap((report) =>
    report.findings.map((f) => {
      const l = locate(report, f);
      return {
        file: l.relativeFile,
        line: f.range.start.line + 1,
        column: f.range.start.character + 1,
        endLine: f.range.end.line + 1,
        endColumn: f.range.end.character + 1,
        severity: f.severity,
        code: f.code,
        message: f.message,
      };
    }),
  );
  return displayJson({ version: 1, diagnostics });
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

function toSarif(reports: CheckReport[], version: string): string {
  const results = reports.flatMap((report) =>
    report.findings.map((f) => ({
      ruleId: f.code,
      level: SARIF_LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: locate(report, f).relativeFile.split('\\').join('/'), uriBaseId: 'SRCROOT' },
            region: {
              startLine: f.range.start.line + 1,
              startColumn: f.range.start.character + 1,
              endLine: f.range.end.line + 1,
              endColumn: f.range.end.character + 1,
            },
          },
        },
      ],
    })),
  );
  return displayJson({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kube-pki',
            version,
            informationUri: 'https://github.com/kube-pki/kube-pki',
            rules: RULES.map(({ meta }) => ({
              id: meta.code,
              shortDescription: { text: meta.description },
              defaultConfiguration: { level: SARIF_LEVEL[meta.severity] },
              helpUri: `https://github.com/kube-pki/kube-pki/blob/main/${meta.docs}`,
            })),
          },
        },
        results,
      },
    ],
  });
}

/** `--rule CODE=LEVEL`, repeatable: an unknown code or level is a usage error (exit 2), never silently ignored. */
function parseRuleOptions(values: string[]): Record<string, RuleLevel> {
  const levels: Record<string, RuleLevel> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    const code = at < 0 ? value : value.slice(0, at);
    const level = at < 0 ? undefined : value.slice(at + 1);
    if (!ruleOf(code)) throw new UsageError(`--rule: unknown rule "${code}" (kube-pki's rules: ${RULES.map((r) => r.meta.code).join(', ')})`);
    if (!isRuleLevel(level))
      throw new UsageError(`--rule ${code}=LEVEL: LEVEL must be ${RULE_LEVELS.join(', ')}${level === undefined ? '' : `, not "${level}"`}`);
    levels[code] = level;
  }
  return levels;
}

declare const KUBE_PKI_VERSION: string | undefined;

export async function runCheck(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      root: { type: 'string' },
      now: { type: 'string' },
      'expiry-warning': { type: 'string' },
      rule: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      'no-gitignore': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(CHECK_USAGE);
    return EXIT_OK;
  }
  const format = values.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  const now = parseInstant(values.now);
  const expiryWarningDays = values['expiry-warning'] === undefined ? 30 : Number(values['expiry-warning']);
  if (!Number.isInteger(expiryWarningDays) || expiryWarningDays < 0)
    throw new UsageError(`--expiry-warning needs a whole number of days, not "${values['expiry-warning']}"`);
  const ruleSeverities = parseRuleOptions(values.rule ?? []);
  const dirs = positionals.length > 0 ? positionals : ['.'];
  for (const dir of [...dirs, ...(values.root ? [values.root] : [])]) {
    const stat = await fs.stat(dir).catch(() => undefined);
    if (!stat?.isDirectory()) {
      io.err(`kube-pki check: ${displayText(dir)}: ${stat ? 'not a directory' : 'no such directory'}`);
      return EXIT_USAGE;
    }
  }
  const reports: CheckReport[] = [];
  // Through the facade, with the CLI's guard: it reads what it is given (the check itself reads only DIR and --root's cluster folders).
  const service = createKubePkiService({ guard: () => PathGuard.forCli() });
  const exclusion = { exclude: values.exclude ?? [], useGitignore: values['no-gitignore'] !== true };
  for (const dir of dirs) reports.push(await service.checkTree(dir, { now, expiryWarningDays, root: values.root, ruleSeverities, ...exclusion }));
  const output =
    format === 'json'
      ? toJson(reports)
      : format === 'sarif'
        ? toSarif(reports, typeof KUBE_PKI_VERSION === 'string' ? KUBE_PKI_VERSION : 'dev')
        : toText(reports);
  io.out(output);
  // Text output lists them as notes; JSON and SARIF have no place for them, and a typo must not pass unseen.
  if (format !== 'text') {
    for (const report of reports) {
      for (const w of report.warnings)
        if (w.path.endsWith(`/${PROJECT_CONFIG_FILE}`))
          io.err(`kube-pki check: ${displayText(relative(process.cwd(), w.path) || w.path)}: ${displayText(w.message)}`);
    }
  }
  return reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? EXIT_REJECTED : EXIT_OK;
}
