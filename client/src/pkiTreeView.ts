// The explorer view "Kubernetes PKI": every CA with the certificates it signed, their roles and
// expiry, like `kubeadm certs check-expiration`, always on. The server builds the tree (one engine);
// this file only turns it into TreeItems.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { PkiTree, TreeCa, TreeCert, TreeExpiryRow } from '../../server/src/engine/features/pkiTree';
import { PkiTreeRequest } from '../../server/src/protocol';
import { certText, expiryRowText, folderLabel, ItemIcon, iconOf, useText } from './pkiTreeText';
import { sendRequest } from './protocolClient';

type Node =
  | { kind: 'folder'; tree: PkiTree }
  | { kind: 'ca'; ca: TreeCa }
  | { kind: 'cert'; cert: TreeCert }
  | { kind: 'orphans'; certs: TreeCert[] }
  | { kind: 'byExpiry'; rows: TreeExpiryRow[] }
  | { kind: 'row'; row: TreeExpiryRow }
  | { kind: 'use'; file: string; line: number; name: string };

const ICONS: Record<ItemIcon, vscode.ThemeIcon> = {
  ok: new vscode.ThemeIcon('verified', new vscode.ThemeColor('charts.green')),
  info: new vscode.ThemeIcon('info', new vscode.ThemeColor('editorInfo.foreground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground')),
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
};

/** The "By expiry" group's label: the status bar reveals it by this node. */
export const BY_EXPIRY_LABEL = 'By expiry';

const openAt = (file: string, line: number): vscode.Command => ({
  title: 'Open',
  command: 'vscode.open',
  arguments: [vscode.Uri.file(file), { selection: new vscode.Range(line, 0, line, 0) }],
});

export class PkiTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly getClient: () => LanguageClient | undefined) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      const client = this.getClient();
      if (!client?.isRunning()) return [];
      const trees = await sendRequest(client, PkiTreeRequest, {});
      if (trees.length === 1) return this.getChildren({ kind: 'folder', tree: trees[0] });
      return trees.map((tree) => ({ kind: 'folder', tree }));
    }
    switch (node.kind) {
      case 'folder':
        // The overview first: what expires soonest, then each CA with what it signed.
        return [
          ...(node.tree.byExpiry.length ? [{ kind: 'byExpiry' as const, rows: node.tree.byExpiry }] : []),
          ...node.tree.cas.map((ca) => ({ kind: 'ca' as const, ca })),
          ...(node.tree.orphans.length ? [{ kind: 'orphans' as const, certs: node.tree.orphans }] : []),
        ];
      case 'byExpiry':
        return node.rows.map((row) => ({ kind: 'row' as const, row }));
      case 'ca':
        return [...node.ca.signed.map((cert) => ({ kind: 'cert' as const, cert })), ...node.ca.usedBy.map((u) => ({ kind: 'use' as const, ...u }))];
      case 'orphans':
        return node.certs.map((cert) => ({ kind: 'cert' as const, cert }));
      case 'cert':
        return node.cert.usedBy.map((u) => ({ kind: 'use' as const, ...u }));
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'folder':
        return { label: folderLabel(node.tree.folder), collapsibleState: vscode.TreeItemCollapsibleState.Expanded, iconPath: new vscode.ThemeIcon('folder') };
      case 'orphans':
        return {
          label: 'Not signed by a CA in the workspace',
          collapsibleState: vscode.TreeItemCollapsibleState.Collapsed,
          iconPath: new vscode.ThemeIcon('question'),
        };
      case 'byExpiry':
        return {
          label: BY_EXPIRY_LABEL,
          collapsibleState: vscode.TreeItemCollapsibleState.Expanded,
          iconPath: new vscode.ThemeIcon('calendar'),
          id: 'kubePki.byExpiry',
        };
      case 'row': {
        const text = expiryRowText(node.row);
        const item = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.None);
        item.description = text.description;
        item.tooltip = new vscode.MarkdownString(undefined, false).appendText(text.tooltip);
        item.iconPath = ICONS[iconOf(node.row)];
        item.command = openAt(node.row.file, node.row.line);
        return item;
      }
      case 'use':
        return { ...useText(node), iconPath: new vscode.ThemeIcon('references'), command: openAt(node.file, node.line) };
      default: {
        const cert = node.kind === 'ca' ? node.ca : node.cert;
        const text = certText(cert);
        const item = new vscode.TreeItem(text.label, node.kind === 'ca' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.description = text.description;
        item.tooltip = new vscode.MarkdownString(undefined, false);
        item.tooltip.appendText(text.tooltip);
        item.iconPath = ICONS[iconOf(cert)];
        item.resourceUri = vscode.Uri.file(cert.path);
        item.contextValue = cert.user ? 'kubePki.kubeconfigUser' : 'kubePki.certificate';
        item.command = { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.file(cert.path)] };
        return item;
      }
    }
  }
}

export function registerPkiTreeView(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined): PkiTreeProvider {
  const provider = new PkiTreeProvider(getClient);
  context.subscriptions.push(vscode.window.createTreeView('kubePki.pkiTree', { treeDataProvider: provider, showCollapseAll: true }));
  // The server re-checks on every change and publishes diagnostics: that is the moment the tree may have changed.
  let timer: NodeJS.Timeout | undefined;
  context.subscriptions.push(
    vscode.languages.onDidChangeDiagnostics(() => {
      clearTimeout(timer);
      timer = setTimeout(() => provider.refresh(), 500);
    }),
    vscode.commands.registerCommand('kubePki.refreshPkiTree', () => provider.refresh()),
  );
  return provider;
}
