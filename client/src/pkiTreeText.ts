// The text of the "Kubernetes PKI" view's items, pure (tested without VS Code): subjects, user
// names, file names and roles come from the workspace, so labels and descriptions show them inert
// and without $(icons), and the tooltip (plain text, appended to a Markdown string) inert.
import type { TreeCert } from '../../server/src/engine/features/pkiTree';
import { displayLabel, displayText } from '../../server/src/engine/text/displayText';

const baseName = (path: string) => path.split('/').pop() ?? path;

export function folderLabel(folder: string): string {
  return displayLabel(baseName(folder));
}

export function useText(use: { file: string; line: number; name: string }): { label: string; description: string } {
  return { label: displayLabel(use.name), description: displayLabel(`${baseName(use.file)}:${use.line + 1}`) };
}

export function certText(cert: TreeCert): { label: string; description: string; tooltip: string } {
  return {
    label: displayLabel(cert.user ? `${cert.user} (${baseName(cert.path)})` : cert.subject),
    description: displayLabel(`${cert.user ? cert.subject + ' · ' : ''}${cert.expiry}`),
    tooltip: `${displayText(cert.subject)}\n${displayText(cert.path)}\nnotAfter ${cert.notAfter} (${displayText(cert.expiry)})\n\n${cert.roles.map((r) => displayText(r)).join('\n')}`,
  };
}
