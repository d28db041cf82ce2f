import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_CONFIG_FILE } from '../engine/run/projectConfig';
import type { CheckReport } from '../engine/run/runCheck';
import type { KubePkiService } from '../engine/service';
import type { Settings } from './settings';

/**
 * Findings a file gives on its own, whatever the rest of the tree holds: its text, its PEM
 * blocks, a Secret's or kubeconfig's own certificate and key. Published for the open files
 * before the workspace pass ends; findings that join files wait for the pass.
 */
export const SINGLE_FILE_CODES: ReadonlySet<string> = new Set([
  'pem-invalid',
  'cert-expired',
  'cert-expiring-soon',
  'cert-not-yet-valid',
  'key-mismatch',
  'weak-key',
  'chain-order',
  'yaml-invalid',
  'yaml-duplicate-key',
]);

/**
 * The check of the open files alone (the listing is theirs, nothing else is read or
 * stat'ed): milliseconds, where the folder's first pass takes seconds. Its single-file
 * findings are their first diagnostics.
 */
export async function checkOpenFiles(
  service: KubePkiService,
  folder: string,
  files: string[],
  overlays: ReadonlyMap<string, string>,
  settings: Settings,
  root: string | undefined,
): Promise<CheckReport> {
  // The folder's .kube-pki.yaml levels apply to these findings as to the pass's.
  const config = join(folder, PROJECT_CONFIG_FILE);
  const listed = existsSync(config) && !files.includes(config) ? [...files, config] : files;
  const report = await service.checkTree(folder, {
    overlays,
    expiryWarningDays: settings.expiryWarningDays,
    root,
    listing: { files: listed, warnings: [] },
    ruleSeverities: settings.ruleSeverities,
  });
  const open = new Set(files);
  return { ...report, findings: report.findings.filter((f) => open.has(f.file) && SINGLE_FILE_CODES.has(f.code)) };
}
