// The VS Code side of kube-pki: a thin client that starts the bundled language
// server (dist/server.js) and hands it PEM documents and cluster configuration. All certificate logic
// lives in the server so that any LSP editor gets the same behaviour.
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, State, TransportKind } from 'vscode-languageclient/node';
import { PREVIEW_CERTIFICATE_COMMAND, SetTrustedNotification } from '../../server/src/protocol';
import { registerGenerationCommands } from './commands';
import { registerExpiryStatusBar } from './expiryStatusBar';
import { registerPkiTreeView } from './pkiTreeView';
import { registerPreview } from './preview';
import { sendNotification } from './protocolClient';

let client: LanguageClient | undefined;

/** What activate() returns to other extensions (and to the extension tests): the PKI view's data, as the user sees it. */
export interface KubePkiApi {
  /** Resolves once the language server has started (hover, diagnostics and commands are served from then on). */
  ready(): Promise<void>;
  /** The PKI view's items, depth first: each CA, then what it signed (labels and descriptions as shown). */
  pkiTreeItems(): Promise<vscode.TreeItem[]>;
  /** The expiry status bar item's text after asking the server again; undefined while it is hidden. */
  expiryStatusText(): Promise<string | undefined>;
}

/** The bundled server over IPC; --nolazy when debugging so breakpoints bind before functions are first called. */
function serverOptions(context: vscode.ExtensionContext): ServerOptions {
  const module = context.asAbsolutePath('dist/server.js');
  return {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
}

function clientOptions(outputChannel: vscode.LogOutputChannel, watcher: vscode.FileSystemWatcher): LanguageClientOptions {
  return {
    documentSelector: [
      { scheme: 'file', language: 'pem' },
      { scheme: 'untitled', language: 'pem' },
      // Manifests, kubeconfigs, kubelet configs, kubeadm-flags.env, systemd units, openssl profiles: recognised by content in the server.
      // By pattern, whatever language VS Code gives them (.cnf has none built in; some extensions make it ini).
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', pattern: '**/*.{conf,cnf,kubeconfig,env,service}' },
      { scheme: 'file', pattern: '**/{kubeconfig,config}' },
    ],
    // Nothing is written in an untrusted workspace: the server refuses fixes and generation. Settings are not
    // sent: the server asks for the kubePki section per folder (workspace/configuration) and registers for its changes.
    // commandLinks: a hover ends with "Show all fields", a link that runs the preview; only that command is trusted in hovers.
    // hoverShowsDiagnostics: VS Code shows the problem under the pointer above the hover, which then does not repeat it.
    initializationOptions: { trusted: vscode.workspace.isTrusted, commandLinks: true, hoverShowsDiagnostics: true },
    markdown: { isTrusted: { enabledCommands: [PREVIEW_CERTIFICATE_COMMAND] } },
    outputChannel,
    synchronize: { fileEvents: watcher },
  };
}

/** "Restart Language Server", whatever state the client is in. */
async function restartServer(newClient: () => LanguageClient, outputChannel: vscode.LogOutputChannel): Promise<void> {
  if (!client) return;
  try {
    switch (client.state) {
      case State.Running:
        await client.restart();
        break;
      case State.Starting:
        // stop() rejects while starting; let the start finish first.
        void vscode.window.showInformationMessage('Kubernetes PKI: the language server is still starting.');
        break;
      case State.StartFailed:
        // A client whose start failed keeps its rejected start promise and
        // can never start again, so replace it with a fresh one.
        client = newClient();
        await client.start();
        break;
      default:
        await client.start();
    }
  } catch (err) {
    outputChannel.error(`Restarting the language server failed: ${errorMessage(err)}`);
    void vscode.window.showErrorMessage('Kubernetes PKI: could not restart the language server. See the output channel.');
  }
}

/** The PKI view's items, depth first, as the extension tests read them. */
function pkiTreeApi(pkiTree: ReturnType<typeof registerPkiTreeView>): KubePkiApi['pkiTreeItems'] {
  return async () => {
    const items: vscode.TreeItem[] = [];
    const visit = async (node?: Parameters<typeof pkiTree.getChildren>[0], depth = 0): Promise<void> => {
      for (const child of await pkiTree.getChildren(node)) {
        items.push(pkiTree.getTreeItem(child));
        if (depth < 1) await visit(child, depth + 1);
      }
    };
    await visit();
    return items;
  };
}

export function activate(context: vscode.ExtensionContext): KubePkiApi {
  // One log channel (vscode-languageclient 11 requires a LogOutputChannel) for
  // client errors and `kubePki.trace.server` output. The client itself only
  // writes lifecycle messages here, never document text.
  const outputChannel = vscode.window.createOutputChannel('Kubernetes PKI', { log: true });
  // Certificates are often read from disk (e.g. a kubeconfig pointing at
  // ca.crt), so the server must hear about changes to files that are not open.
  // Any file may be a referenced cert or a kubeconfig; the server debounces the re-check.
  const watcher = vscode.workspace.createFileSystemWatcher('**/*');
  context.subscriptions.push(outputChannel, watcher);

  // The id 'kubePki' makes the client read the `kubePki.trace.server` setting.
  const newClient = () => new LanguageClient('kubePki', 'Kubernetes PKI', serverOptions(context), clientOptions(outputChannel, watcher));
  client = newClient();

  context.subscriptions.push(vscode.commands.registerCommand('kubePki.restartServer', () => restartServer(newClient, outputChannel)));
  registerGenerationCommands(context, () => client);
  registerPreview(context, () => client);
  const pkiTree = registerPkiTreeView(context, () => client);
  const expiryBar = registerExpiryStatusBar(context, () => client);
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      // The server then asks for the settings again: restricted ones (kubePki.nodeRoot) take their workspace value only now.
      if (client) void sendNotification(client, SetTrustedNotification, { trusted: true });
    }),
  );

  // Not awaited: activation should not block on the server's start-up. The
  // client already shows start failures to the user; this only logs them.
  const started = client.start().catch((err: unknown) => outputChannel.error(`Starting the language server failed: ${errorMessage(err)}`));
  void started.then(() => expiryBar.refresh());
  const expiryStatusText = async () => {
    await expiryBar.refresh();
    return expiryBar.text();
  };
  return { ready: () => started, pkiTreeItems: pkiTreeApi(pkiTree), expiryStatusText };
}

export function deactivate(): Thenable<void> | undefined {
  const current = client;
  client = undefined;
  // stop() rejects unless the server is running (e.g. after a failed start).
  return current?.isRunning() ? current.stop() : undefined;
}

// Only an error's message is logged: errors come from the client/server
// lifecycle, and document text is never written to the channel.
function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
