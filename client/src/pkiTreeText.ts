// The text of the "Kubernetes PKI" view's items, pure (tested without VS Code): subjects, user
// names, file names and roles come from the workspace, so labels and descriptions show them inert
// and without $(icons), and the tooltip (plain text, appended to a Markdown string) inert.
import type { ExpirySummary } from '../../server/src/engine/check/expiryTable';
import type { TreeCert, TreeExpiryRow } from '../../server/src/engine/features/pkiTree';
import { displayLabel, displayText } from '../../server/src/engine/text/displayText';

const baseName = (path: string) => path.split('/').pop() ?? path;

export function folderLabel(folder: string): string {
  return displayLabel(baseName(folder));
}

export function useText(use: { file: string; line: number; name: string }): { label: string; description: string } {
  return { label: displayLabel(use.name), description: displayLabel(`${baseName(use.file)}:${use.line + 1}`) };
}

/** The icon of an item: its worst finding, else its expiry (a certificate with an identity mismatch is no green check). */
export type ItemIcon = 'error' | 'warning' | 'info' | 'ok';

export function iconOf(item: Pick<TreeCert, 'status' | 'worst'>): ItemIcon {
  if (item.worst === 'error' || item.status === 'expired' || item.status === 'not-yet-valid') return 'error';
  if (item.worst === 'warning' || item.status === 'expiring') return 'warning';
  if (item.worst === 'information') return 'info';
  return 'ok';
}

export function certText(cert: TreeCert): { label: string; description: string; tooltip: string } {
  const findings = cert.findings.map((f) => `${f.severity}: ${displayText(f.message)} (${displayText(f.code)})`);
  return {
    label: displayLabel(cert.user ? `${cert.role} · ${cert.user}` : cert.role),
    description: displayLabel(`${cert.subject} · ${cert.expiry}`),
    tooltip: [
      `${displayText(cert.role)}: ${displayText(cert.subject)}`,
      displayText(cert.path),
      `notAfter ${cert.notAfter} (${displayText(cert.expiry)})`,
      '',
      ...cert.roles.map((r) => displayText(r)),
      ...(findings.length ? ['', ...findings] : []),
    ].join('\n'),
  };
}

/** "expired 2087 days ago", "today", "364 days left". */
export function daysLeftText(daysLeft: number): string {
  if (daysLeft < 0) return `expired ${-daysLeft} day${daysLeft === -1 ? '' : 's'} ago`;
  if (daysLeft === 0) return 'expires today';
  return `${daysLeft} day${daysLeft === 1 ? '' : 's'} left`;
}

/** A row of the "By expiry" group: the role, then days left and where it is. */
export function expiryRowText(row: TreeExpiryRow): { label: string; description: string; tooltip: string } {
  const where = row.field === null ? baseName(row.file) : `${baseName(row.file)} (${row.field})`;
  return {
    label: displayLabel(row.role),
    description: displayLabel(`${daysLeftText(row.daysLeft)} · ${where}${row.referenced ? '' : ' · unreferenced'}`),
    tooltip: `${displayText(row.role)}: ${displayText(row.subject)}\n${displayText(row.file)}\nnotAfter ${row.notAfter} (${displayText(row.residual)})`,
  };
}

/** The status bar's text: "PKI: 1 expired · 2 expire < 30 d"; undefined when nothing is due (the item hides). */
export function expiryStatusText(summary: Pick<ExpirySummary, 'expired' | 'expiring' | 'warningDays'>): string | undefined {
  const parts: string[] = [];
  if (summary.expired > 0) parts.push(`${summary.expired} expired`);
  if (summary.expiring > 0) parts.push(`${summary.expiring} expire${summary.expiring === 1 ? 's' : ''} < ${summary.warningDays} d`);
  return parts.length ? `PKI: ${parts.join(' · ')}` : undefined;
}
