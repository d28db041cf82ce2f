// The status bar item "PKI: 1 expired · 2 expire < 30 d": the server counts from the same expiry table as
// `kube-pki expiry`; hidden when nothing is due. Clicking it lists the due certificates; picking one opens it.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ExpirySummary } from '../../server/src/engine/check/expiryTable';
import { displayLabel } from '../../server/src/engine/text/displayText';
import { ExpirySummaryRequest } from '../../server/src/protocol';
import { daysLeftText, expiryStatusText } from './pkiTreeText';
import { sendRequest } from './protocolClient';

const SHOW_DUE_COMMAND = 'kubePki.showExpiring';

export interface ExpiryStatusBar {
  refresh(): Promise<void>;
  /** The item's text as shown, undefined while hidden (the extension tests read it). */
  text(): string | undefined;
}

async function showDue(summary: ExpirySummary | undefined): Promise<void> {
  if (!summary?.due.length) return;
  const picked = await vscode.window.showQuickPick(
    summary.due.map((row) => ({
      label: displayLabel(row.role),
      description: displayLabel(`${daysLeftText(row.daysLeft)} · ${vscode.workspace.asRelativePath(row.file)}:${row.line + 1}`),
      detail: displayLabel(row.subject),
      row,
    })),
    { title: 'Kubernetes PKI: certificates due for renewal', placeHolder: 'Open a certificate (soonest expiry first)' },
  );
  if (!picked) return;
  const line = picked.row.line;
  await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(picked.row.file), { selection: new vscode.Range(line, 0, line, 0) });
}

export function registerExpiryStatusBar(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined): ExpiryStatusBar {
  const item = vscode.window.createStatusBarItem('kubePki.expiry', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Kubernetes PKI expiry';
  item.command = SHOW_DUE_COMMAND;
  let summary: ExpirySummary | undefined;
  let shown: string | undefined;
  const refresh = async () => {
    const client = getClient();
    if (!client?.isRunning()) return;
    summary = await sendRequest(client, ExpirySummaryRequest, {}).catch(() => undefined);
    shown = summary ? expiryStatusText(summary) : undefined;
    if (!shown) return item.hide();
    item.text = `$(warning) ${shown}`;
    item.tooltip = 'Kubernetes PKI: certificates expired or due for renewal (click to list them)';
    item.backgroundColor = summary?.expired ? new vscode.ThemeColor('statusBarItem.errorBackground') : new vscode.ThemeColor('statusBarItem.warningBackground');
    item.show();
  };
  // The server re-checks on every change and publishes diagnostics: the count may have changed then.
  let timer: NodeJS.Timeout | undefined;
  context.subscriptions.push(
    item,
    vscode.commands.registerCommand(SHOW_DUE_COMMAND, () => showDue(summary)),
    vscode.languages.onDidChangeDiagnostics(() => {
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), 500);
    }),
  );
  return { refresh, text: () => shown };
}
