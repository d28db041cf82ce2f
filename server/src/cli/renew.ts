import { statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { OutsideError, PathGuard } from '../engine/io/pathGuard';
import type { RenewalPlan } from '../engine/renew/planRenewal';
import { createKubePkiService } from '../engine/service';
import { displayText } from '../engine/text/displayText';
import { parseDuration } from './gen';
import { CliIO, EXIT_OK, EXIT_REJECTED, EXIT_USAGE, parseFormat, parseInstant, UsageError } from './io';

export const RENEW_USAGE = `Usage: kube-pki renew [DIR] (--all | NAME...) [--dry-run] [--validity D] [--now ISO-8601] [--format text|json]

Re-issues leaf certificates as kubeadm certs renew does: the same key, subject, SANs, key usage and EKU,
signed by the CA that signed it (its key must be in the tree), for its distribution's lifetime (kubeadm: 1 year)
or --validity (365d, 8760h, 1y), never past the CA's notAfter; the CA follows the leaf where the distribution
writes it so (k3s, RKE2). CAs are never renewed.
NAME: a kubeadm name (apiserver, apiserver-kubelet-client, front-proxy-client, etcd-server, etcd-peer,
etcd-healthcheck-client, apiserver-etcd-client, admin.conf, controller-manager.conf, scheduler.conf,
super-admin.conf) or a file relative to DIR (default: the current folder).
The plan is printed first; --dry-run stops there. Every replaced file is kept as NAME.bak-<time>; keys are
never rewritten; a kubeconfig changes only in its client-certificate-data. Never prompts.
Exit 0 when every asked-for leaf was renewed (or can be, with --dry-run), 1 when one could not be, 2 on usage or I/O error.`;

function isFolder(path: string | undefined): boolean {
  return path !== undefined && (statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false);
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function jsonOf(plan: RenewalPlan, rel: (p: string) => string, restart: string[]): string {
  return JSON.stringify(
    {
      version: 1,
      renewed: plan.renew.map((r) => ({
        file: rel(r.leaf.path),
        field: r.leaf.field,
        oldNotAfter: iso(r.leaf.cert.notAfter),
        newNotAfter: iso(r.newNotAfter),
      })),
      skipped: plan.skipped.map((s) => ({ file: rel(s.path), field: s.field, reason: s.reason })),
      restart,
    },
    null,
    2,
  );
}

function planText(plan: RenewalPlan, rel: (p: string) => string, dryRun: boolean): string[] {
  const where = (path: string, field: string | null) => displayText(`${rel(path)}${field === null ? '' : ` (user ${field})`}`);
  const lines = [`kube-pki renew: ${plan.renew.length} to renew, ${plan.skipped.length} skipped${dryRun ? ' (dry run: nothing written)' : ''}`];
  for (const r of plan.renew) {
    const clamp = r.clamped ? `, clamped to the notAfter of ${displayText(rel(r.signer.certPath))}` : '';
    lines.push(
      `  renew  ${where(r.leaf.path, r.leaf.field)}: ${iso(r.leaf.cert.notAfter)} -> ${iso(r.newNotAfter)} (signed by ${displayText(rel(r.signer.certPath))}${clamp})`,
    );
  }
  for (const s of plan.skipped) lines.push(`  skip   ${where(s.path, s.field)}: ${displayText(s.reason)}`);
  for (const w of plan.caWarnings)
    lines.push(`  warning: CA ${displayText(rel(w.ca.certPath))} ${w.message}: renewing a CA is a rotation, not a renewal (kube-pki does not do it)`);
  return lines;
}

export async function runRenew(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      all: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      validity: { type: 'string' },
      now: { type: 'string' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return (io.out(RENEW_USAGE), EXIT_OK);
  const format = parseFormat(values.format);
  const now = parseInstant(values.now);
  const validityDays = values.validity === undefined ? undefined : parseDuration(values.validity, 0, '--validity');
  // DIR is the first positional when it is a folder (a NAME is a file or a kubeadm name); else the current folder.
  const [dirArg, ...names] = isFolder(positionals[0]) ? positionals : ['.', ...positionals];
  if (values.all && positionals.length > 1) throw new UsageError('--all takes no NAME (at most one DIR)');
  if (!values.all && names.length === 0) throw new UsageError('renew needs --all or at least one NAME');
  const dir = resolve(dirArg ?? '.');
  const service = createKubePkiService({ guard: () => PathGuard.forCli([dir]), now: () => now });
  try {
    const report = await service.checkTree(dir, { now });
    const plan = await service.planRenewal(report, { all: !!values.all, names, now, validityDays, expiryWarningDays: 30 });
    const rel = (p: string) => relative(dir, p) || '.';
    const restart = [...new Set(plan.renew.flatMap((r) => [...r.leaf.users]))].sort();
    const failed = plan.skipped.some((s) => s.counts) ? EXIT_REJECTED : EXIT_OK;
    if (format === 'text') io.out(planText(plan, rel, !!values['dry-run']).join('\n'));
    if (values['dry-run'] || plan.renew.length === 0) {
      if (format === 'json') io.out(jsonOf(plan, rel, restart));
      return failed;
    }
    const outcome = await service.applyRenewal(plan);
    if (format === 'json') io.out(jsonOf(plan, rel, restart));
    else {
      const lines = outcome.written.map((w) => `  wrote  ${displayText(rel(w.path))}${w.backup ? ` (kept ${displayText(rel(w.backup))})` : ''}`);
      lines.push(restart.length > 0 ? `Restart to load the new files: ${restart.join(', ')}` : 'No component needs a restart.');
      io.out(lines.join('\n'));
    }
    return failed;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof OutsideError || (e as NodeJS.ErrnoException).code) {
      io.err(`kube-pki renew: ${(e as Error).message}`);
      return EXIT_USAGE;
    }
    throw e;
  }
}
