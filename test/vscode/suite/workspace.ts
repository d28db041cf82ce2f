// What the extension tests share: the workspace the runner prepared (a copy of
// examples/cluster, whose five deliberate mistakes the tests look at), the
// extension itself, and waiting for what the language server publishes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KubePkiApi } from '../../../client/src/extension';

export const EXTENSION_ID = 'kube-pki.kube-pki';

/** The runner says which trust state the window was opened in (VS Code decides; the suite checks it agrees). */
export function expectedTrust(): 'trusted' | 'untrusted' {
  return process.env.KUBE_PKI_E2E_TRUST === 'untrusted' ? 'untrusted' : 'trusted';
}

export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner opens a workspace folder');
  return folder.uri;
}

export function fileIn(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder(), relative);
}

export async function activated(): Promise<KubePkiApi> {
  const extension = vscode.extensions.getExtension<KubePkiApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is loaded`);
  const api = await extension.activate();
  // Activation does not wait for the server; a user's first hover may come before it is up, a test's must not.
  await api.ready();
  return api;
}

/** Polls until `probe` returns a value (not undefined), or fails after `ms`. */
export async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : code === undefined ? undefined : String(code);
}

/** The kube-pki diagnostics on a file once the one with `code` is there. */
export function diagnosticsWith(uri: vscode.Uri, code: string): Promise<vscode.Diagnostic[]> {
  return eventually(`a ${code} diagnostic on ${uri.path}`, () => {
    const all = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'kube-pki');
    return all.some((d) => codeOf(d) === code) ? all : undefined;
  });
}

/** Opens a file in an editor and returns the position of `needle` on the first line that holds it (plus `offset`). */
export async function openAt(relative: string, needle: string, offset = 0): Promise<{ uri: vscode.Uri; position: vscode.Position }> {
  const uri = fileIn(relative);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  const text = document.getText();
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${relative} contains ${needle}`);
  return { uri, position: document.positionAt(at + offset) };
}

export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  // As the user reads it: Markdown's escapes removed (cert fields are escaped, so CN\=x reads CN=x).
  return hovers
    .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
    .join('\n---\n')
    .replace(/\\(.)/g, '$1');
}

export const APISERVER_MANIFEST = 'etc/kubernetes/manifests/kube-apiserver.yaml';

/** Opens the API server manifest with the cursor on the value of --tls-cert-file. */
export function openAtTlsCertFile(): Promise<{ uri: vscode.Uri; position: vscode.Position }> {
  return openAt(APISERVER_MANIFEST, '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--tls-cert-file='.length + 5);
}

/** kube-pki's quick fixes for the first `code` diagnostic on `uri` (VS Code adds its own, such as chat's Fix / Explain). */
export async function kubePkiFixesFor(uri: vscode.Uri, code: string): Promise<vscode.CodeAction[]> {
  const diagnostic = (await diagnosticsWith(uri, code)).find((d) => codeOf(d) === code)!;
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    uri,
    diagnostic.range,
    vscode.CodeActionKind.QuickFix.value,
  );
  return actions.filter((a) => a.command?.command === 'kubePki.applyFix');
}
