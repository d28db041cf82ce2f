/**
 * The language server: wiring only. Handlers (lsp/handlers.ts) adapt LSP requests to the
 * engine's service, the command executor (lsp/commandExecutor.ts) validates and runs
 * workspace/executeCommand, the workspace checker checks folders in the background.
 * Started over IPC by the VS Code client, or with --stdio by any other editor (Neovim, Helix...).
 */
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  InitializeParams,
  InitializeResult,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createKubePkiService } from './engine/service';
import { CommandExecutor, SERVER_COMMANDS } from './lsp/commandExecutor';
import { pathToUri, uriToPath } from './lsp/convert';
import { DiagnosticsPublisher } from './lsp/diagnosticsPublisher';
import { editorGuard } from './lsp/guardPolicy';
import { registerLanguageHandlers } from './lsp/handlers';
import { isPemDocument, PemDocuments, withinLimits } from './lsp/pemDocuments';
import { SettingsStore } from './lsp/settings';
import { WorkspaceChecker } from './lsp/workspaceChecker';
import { InitializationOptions, SETTINGS_SECTION, SetTrustedNotification } from './protocol';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const settings = new SettingsStore();

const openFiles = () => documents.all().flatMap((document) => uriToPath(document.uri) ?? []);
const service = createKubePkiService({
  guard: () => editorGuard([...checker.folderPaths()], (folder) => settings.forFolder(folder), openFiles(), settings.trusted),
});
const pems = new PemDocuments(service);

/** Unsaved editor text wins over the disk for the checker (beyond the limits, the checker reads the disk, as `check` does). */
function overlays(): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const document of documents.all()) {
    const path = uriToPath(document.uri);
    if (path && withinLimits(service, document)) map.set(path, document.getText());
  }
  return map;
}

const publisher = new DiagnosticsPublisher(
  connection,
  documents,
  pems,
  (uri) => checker.diagnostics.get(uri),
  (uri) => settingsOf(uriToPath(uri) ?? '').expiryWarningDays,
);
const checker = new WorkspaceChecker(
  connection,
  service,
  overlays,
  (uri) => publisher.publish(uri),
  async (folder) => {
    await settings.ready();
    return settings.forFolder(folder);
  },
);
const settingsOf = (path: string) => settings.forFolder(checker.folderOf(path));
const executor = new CommandExecutor(connection, service, {
  trusted: () => settings.trusted,
  folders: () => [...checker.folderPaths()],
  recheck: () => checker.runAll(),
});

let watchDynamically = false;
let pullSettings = false;
let configurationDynamically = false;

/** Asks the client for each folder's `kubePki` section (workspace/configuration), then re-checks with it. */
function refreshSettings(): Promise<void> {
  const folders = [...checker.folderPaths()];
  // VS Code's files.exclude is honoured too: asked for with the section, one item per folder each.
  return settings.pull(folders, async (asked) => {
    const items = asked.flatMap((folder) => [SETTINGS_SECTION, 'files.exclude'].map((section) => ({ scopeUri: pathToUri(folder), section })));
    const answers: unknown[] = await connection.workspace.getConfiguration(items);
    return asked.map((_, i) => ({ ...(answers[2 * i] as object | null), filesExclude: answers[2 * i + 1] }));
  });
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  settings.initialize(params.initializationOptions as InitializationOptions | undefined);
  const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)) ?? [params.rootUri ? uriToPath(params.rootUri) : undefined];
  checker.setFolders(folders.filter((f): f is string => !!f));
  const workspace = params.capabilities.workspace;
  watchDynamically = !!workspace?.didChangeWatchedFiles?.dynamicRegistration;
  pullSettings = !!workspace?.configuration;
  configurationDynamically = !!workspace?.didChangeConfiguration?.dynamicRegistration;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      documentLinkProvider: { resolveProvider: false },
      definitionProvider: true,
      completionProvider: { triggerCharacters: ['-', '=', '/'] },
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      executeCommandProvider: { commands: SERVER_COMMANDS },
    },
    serverInfo: { name: 'kube-pki-language-server' },
  };
});

connection.onInitialized(() => {
  // Editors other than VS Code watch files only when asked.
  if (watchDynamically) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
  // Told of changes to the kubePki section, the server asks for the new values.
  if (configurationDynamically) void connection.client.register(DidChangeConfigurationNotification.type, { section: [SETTINGS_SECTION, 'files'] });
  if (pullSettings) void refreshSettings();
  void checker.runAll();
});

connection.onNotification(SetTrustedNotification.method, (params: { trusted: boolean }) => {
  settings.trusted = params.trusted;
  // Restricted settings (kubePki.nodeRoot) take their workspace value only once trusted: ask again.
  if (pullSettings) void refreshSettings().then(() => checker.schedule());
});

/** Changed settings: pulled again when the client can be asked, else read from the notification; then a re-check. */
connection.onDidChangeConfiguration((params) => {
  if (pullSettings) void refreshSettings();
  else settings.push((params.settings as Record<string, unknown> | null)?.[SETTINGS_SECTION]);
  checker.schedule();
});

// Debounced per document so typing does not decode on every keystroke.
const DIAGNOSTIC_DELAY_MS = 200;
const pending = new Map<string, NodeJS.Timeout>();

documents.onDidOpen((e) => {
  if (isPemDocument(e.document)) publisher.publish(e.document.uri);
  const path = uriToPath(e.document.uri);
  if (path && !isPemDocument(e.document)) {
    void checker.opened(path);
    checker.schedule(path);
  }
});
documents.onDidChangeContent((e) => {
  const uri = e.document.uri;
  clearTimeout(pending.get(uri));
  pending.set(
    uri,
    setTimeout(() => {
      pending.delete(uri);
      const current = documents.get(uri);
      if (current && isPemDocument(current)) publisher.publish(uri);
    }, DIAGNOSTIC_DELAY_MS),
  );
  const path = uriToPath(uri);
  if (path) checker.schedule(path);
});
documents.onDidClose((e) => {
  clearTimeout(pending.get(e.document.uri));
  pending.delete(e.document.uri);
  pems.forget(e.document.uri);
  // Back to what the checker says of the file on disk.
  setImmediate(() => publisher.publish(e.document.uri));
  const path = uriToPath(e.document.uri);
  if (path) checker.schedule(path);
});
// Changes on disk are re-checked at once, reading only the changed files again.
connection.onDidChangeWatchedFiles((params) => {
  const kinds = { [FileChangeType.Created]: 'created', [FileChangeType.Changed]: 'changed', [FileChangeType.Deleted]: 'deleted' } as const;
  checker.filesChanged(
    params.changes.flatMap((change) => {
      const path = uriToPath(change.uri);
      return path ? [{ path, kind: kinds[change.type] ?? 'created' }] : [];
    }),
  );
});

registerLanguageHandlers({
  connection,
  documents,
  service,
  pems,
  checker,
  settingsOf,
  commandLinks: () => settings.commandLinks,
  hoverShowsDiagnostics: () => settings.hoverShowsDiagnostics,
});
connection.onExecuteCommand((params) => executor.execute(params.command, params.arguments?.[0]));

documents.listen(connection);
connection.listen();
