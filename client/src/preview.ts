// The certificate preview: a webview that shows what the server decoded from a PEM/DER file
// (cards, validity timeline, fingerprints, chain). Opened by a command beside the editor, or as a
// read-only custom editor ("Open With… → Certificate Preview"). The server does all decoding; this
// side only asks `kubePki/previewData` and renders the JSON it gets back.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { LanguageClient, State } from 'vscode-languageclient/node';
import type { PreviewData } from '../../server/src/engine/features/previewData';
import { PreviewDataRequest } from '../../server/src/protocol';
import { openTargets, renderPreviewHtml } from './previewHtml';
import { sendRequest } from './protocolClient';

type ClientGetter = () => LanguageClient | undefined;

const VIEW_TYPE = 'kubePki.certificatePreview';
const NOT_RUNNING =
  'Kubernetes PKI: the language server is not running, so the certificate cannot be previewed. Try "Kubernetes PKI: Restart Language Server".';

/** The client once it is running: waits for a start in progress (e.g. when a custom editor activated us). */
async function runningClient(getClient: ClientGetter): Promise<LanguageClient | undefined> {
  const client = getClient();
  if (client?.state === State.Starting) await client.start().catch(() => undefined);
  return client?.isRunning() ? client : undefined;
}

function errorData(uri: vscode.Uri, error: string): PreviewData {
  return { path: uri.scheme === 'file' ? uri.fsPath : uri.toString(), now: new Date().toISOString(), format: 'none', error, blocks: [], chain: [] };
}

function basename(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString();
}

/** Larger files are not previewed (the server's limit for a PKI file). */
const MAX_PREVIEW_BYTES = 16 * 1024 * 1024;

/**
 * The bytes of a file the user opened in the certificate editor, read by VS Code: the server
 * reads no file outside the workspace itself, however it is asked to.
 */
async function openedFileContent(uri: vscode.Uri): Promise<string> {
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > MAX_PREVIEW_BYTES) throw new Error(`the file is too large to preview (${(stat.size / 1048576).toFixed(1)} MiB)`);
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('base64');
}

/**
 * A link of the preview was clicked: the webview sends only an index into the links the extension rendered,
 * and a target outside the workspace folders is not opened (the data came from the server, the click from a page).
 */
function openLink(data: PreviewData | undefined, message: unknown): void {
  const { type, index } = (message ?? {}) as { type?: unknown; index?: unknown };
  if (type !== 'open' || !data || typeof index !== 'number' || !Number.isInteger(index)) return;
  const target = openTargets(data)[index];
  if (!target || typeof target.file !== 'string' || !target.file.startsWith('/')) return;
  const uri = vscode.Uri.file(target.file);
  if (!vscode.workspace.getWorkspaceFolder(uri)) return;
  const line = Math.max(0, Number(target.line) | 0);
  void vscode.window.showTextDocument(uri, { selection: new vscode.Range(line, 0, line, 0), viewColumn: vscode.ViewColumn.One });
}

/** Renders `uri` into `panel` now and whenever the file or its open document changes, until the panel closes. `openedByUser`: the custom editor's own file. */
function attach(panel: vscode.WebviewPanel, uri: vscode.Uri, getClient: ClientGetter, openedByUser = false): void {
  const key = uri.toString();
  let generation = 0;
  let disposed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let warned = false;
  let shown: PreviewData | undefined;

  const render = async () => {
    const mine = ++generation;
    let data: PreviewData;
    const client = await runningClient(getClient);
    if (!client) {
      data = errorData(uri, 'The Kubernetes PKI language server is not running.');
      if (!warned) void vscode.window.showErrorMessage(NOT_RUNNING);
      warned = true;
    } else {
      try {
        const content = openedByUser ? await openedFileContent(uri) : undefined;
        data = await sendRequest(client, PreviewDataRequest, { uri: key, content });
      } catch (err) {
        data = errorData(uri, `The preview could not be computed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    // A newer render started meanwhile, or the panel closed: drop this answer.
    if (disposed || mine !== generation) return;
    shown = data;
    panel.webview.html = renderPreviewHtml(data, {
      nonce: randomBytes(24).toString('base64url'),
      cspSource: panel.webview.cspSource,
      displayPath: vscode.workspace.asRelativePath(uri),
    });
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void render();
    }, 200);
  };

  const listeners: vscode.Disposable[] = [
    panel.webview.onDidReceiveMessage((message: unknown) => openLink(shown, message)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.toString() === key) schedule();
    }),
  ];
  if (uri.scheme === 'file') {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), basename(uri)));
    listeners.push(watcher, watcher.onDidChange(schedule), watcher.onDidCreate(schedule), watcher.onDidDelete(schedule));
  }
  panel.onDidDispose(() => {
    disposed = true;
    if (timer) clearTimeout(timer);
    for (const listener of listeners) listener.dispose();
  });
  void render();
}

/**
 * What the command was invoked on: a Uri (explorer, editor title), a URI string (the server's code
 * lens), or a tree item of the "Kubernetes PKI" view (which carries the file's path).
 */
function targetUri(target: unknown): vscode.Uri | undefined {
  if (target instanceof vscode.Uri) return target;
  if (typeof target === 'string') return vscode.Uri.parse(target);
  const path =
    (target as { cert?: { path?: unknown }; ca?: { path?: unknown } } | undefined)?.cert?.path ?? (target as { ca?: { path?: unknown } } | undefined)?.ca?.path;
  return typeof path === 'string' ? vscode.Uri.file(path) : undefined;
}

async function previewCommand(getClient: ClientGetter, target?: unknown): Promise<void> {
  const uri = targetUri(target) ?? vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showErrorMessage('Kubernetes PKI: open or select a certificate file to preview.');
    return;
  }
  if (!(await runningClient(getClient))) {
    void vscode.window.showErrorMessage(NOT_RUNNING);
    return;
  }
  const panel = vscode.window.createWebviewPanel(
    'kubePki.previewPanel',
    `Preview ${basename(uri)}`,
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
    { enableScripts: true, localResourceRoots: [], retainContextWhenHidden: false },
  );
  attach(panel, uri, getClient);
}

/** "Open With… → Certificate Preview": the same view as a read-only editor for the file. */
class CertificatePreviewProvider implements vscode.CustomReadonlyEditorProvider {
  constructor(private readonly getClient: ClientGetter) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose() {} };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    panel.webview.options = { enableScripts: true, localResourceRoots: [] };
    attach(panel, document.uri, this.getClient, true);
  }
}

export function registerPreview(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('kubePki.previewCertificate', (target?: unknown) => previewCommand(getClient, target)),
    vscode.window.registerCustomEditorProvider(VIEW_TYPE, new CertificatePreviewProvider(getClient), {
      webviewOptions: { retainContextWhenHidden: false },
      supportsMultipleEditorsPerDocument: true,
    }),
  );
}
