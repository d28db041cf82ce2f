/**
 * The language server: a thin adapter from LSP to the engine. It owns no
 * PKI logic: PEM documents are decoded by PemDocument, the workspace is
 * checked by the checker, quick fixes are planned and written by the fix
 * module. Started over IPC by the VS Code client, or with --stdio by any
 * other editor (Neovim, Helix...).
 */
import {
  CancellationToken,
  CodeAction,
  CodeActionKind,
  CodeLens,
  CompletionItem,
  CompletionItemKind,
  DocumentLink,
  Location,
  Diagnostic,
  DidChangeWatchedFilesNotification,
  DocumentSymbol,
  ErrorCodes,
  FileChangeType,
  FoldingRange,
  Hover,
  InitializeParams,
  InitializeResult,
  LSPErrorCodes,
  MarkupKind,
  MessageType,
  ProposedFeatures,
  ResponseError,
  ShowMessageNotification,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PemDocument } from './engine/features/pemDocument';
import { displayText } from './engine/text/displayText';
import { PreviewData, previewData } from './engine/features/previewData';
import { PkiTree, pkiTree } from './engine/features/pkiTree';
import { loadPkiFile } from './engine/io/pkiFile';
import { Access, OutsideError, PathGuard } from './engine/io/pathGuard';
import { NODE_LAYOUT_DIRS } from './engine/kube/nodePaths';
import type { EngineSymbol } from './engine/features/types';
import { applyPlan, planFix } from './engine/fix/applyFix';
import type { FixSpec } from './engine/check/fixSpec';
import { fixChoices } from './engine/fix/variants';
import { engineToDiagnostic, pathToUri, uriToPath } from './lsp/convert';
import { completeConfig } from './engine/features/configCompletion';
import { OutlineSymbol, kubeconfigSymbols } from './engine/features/kubeconfigSymbols';
import { hoverReference, referenceLenses, referenceLinks } from './engine/features/referenceFeatures';
import { WorkspaceChecker } from './lsp/workspaceChecker';
import type { CheckReport } from './engine/run/runCheck';
import { MAX_CONFIG_FILE_BYTES } from './engine/check/workspace';
import { MAX_PKI_FILE_BYTES, decodePkiBytes } from './engine/pki/decode';
import { join as joinPath, resolve as resolvePath } from 'node:path';
import { generatePki } from './engine/gen/generatePki';
import type { Usage } from './engine/gen/issue';
import { createCsrFiles, generateProfileCert, signCsrFile } from './engine/gen/operations';
import { workspaceDefaults } from './engine/run/workspaceDefaults';
import { ClusterParams, DEFAULT_PARAMS } from './engine/gen/profiles';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

/** Settings the client sends at start: workspace trust (VS Code) and the expiry window. */
interface InitializationOptions {
  trusted?: boolean;
  expiryWarningDays?: number;
  codeLens?: boolean;
  /** The folder that stands for / (relative to the workspace folder, or absolute); default: found by walking up. */
  nodeRoot?: string;
  /** Per rule code: "off", "error", "warning", "information" or "hint". */
  ruleSeverities?: Record<string, string>;
}
const settings: { trusted: boolean; expiryWarningDays: number; codeLens: boolean; nodeRoot?: string; ruleSeverities: Record<string, string> } = { trusted: true, expiryWarningDays: 30, codeLens: true, ruleSeverities: {} };

function applySettings(options: InitializationOptions): void {
  if (typeof options.trusted === 'boolean') settings.trusted = options.trusted;
  if (typeof options.expiryWarningDays === 'number') settings.expiryWarningDays = options.expiryWarningDays;
  if (typeof options.codeLens === 'boolean') settings.codeLens = options.codeLens;
  if (typeof options.nodeRoot === 'string') settings.nodeRoot = options.nodeRoot || undefined;
  if (options.ruleSeverities && typeof options.ruleSeverities === 'object') settings.ruleSeverities = { ...options.ruleSeverities };
}
let watchDynamically = false;

/** Decoded PEM documents by URI, valid for one document version. */
const pemCache = new Map<string, { version: number; pem: PemDocument }>();

function isPemDocument(document: TextDocument): boolean {
  return document.languageId === 'pem';
}

function pemDocumentOf(document: TextDocument): PemDocument {
  const cached = pemCache.get(document.uri);
  if (cached && cached.version === document.version) return cached.pem;
  const pem = new PemDocument(document.getText());
  pemCache.set(document.uri, { version: document.version, pem });
  return pem;
}

/**
 * Open documents are read up to the checker's limits, in the editor as on
 * disk: an open 50 MB YAML file would otherwise hold the server for seconds
 * on every re-check, outline and completion.
 */
function withinLimits(document: TextDocument): boolean {
  return document.getText().length <= (isPemDocument(document) ? MAX_PKI_FILE_BYTES : MAX_CONFIG_FILE_BYTES);
}

/** Unsaved editor text wins over the disk for the checker (beyond the limits, the checker reads the disk, as `check` does). */
function overlays(): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const document of documents.all()) {
    const path = uriToPath(document.uri);
    if (path && withinLimits(document)) map.set(path, document.getText());
  }
  return map;
}

/** One publish per URI: an open PEM document's own diagnostics, else the checker's. */
function publish(uri: string): void {
  const document = documents.get(uri);
  let diagnostics: Diagnostic[];
  if (document && isPemDocument(document)) {
    try {
      diagnostics = pemDocumentOf(document).diagnostics().map(engineToDiagnostic);
    } catch (e) {
      connection.console.error(`kube-pki: diagnostics failed for ${uri}: ${(e as Error).message}`);
      diagnostics = [];
    }
  } else {
    diagnostics = checker.diagnostics.get(uri) ?? [];
  }
  void connection.sendDiagnostics({ uri, version: document?.version, diagnostics });
}

const checker = new WorkspaceChecker(connection, overlays, publish, () => settings);

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}

/**
 * The checker's report for a file, for hover, links, lens and completion,
 * which wait for a check in progress (seconds on a large tree). When the
 * client cancels meanwhile, the request ends at once with RequestCancelled;
 * the check itself goes on for the requests that still want it.
 */
async function reportFor(path: string | undefined, token: CancellationToken): Promise<CheckReport | undefined> {
  if (token.isCancellationRequested) throw cancelled();
  if (!path) return undefined;
  const report = await new Promise<CheckReport | undefined>((resolve, reject) => {
    const subscription = token.onCancellationRequested(() => reject(cancelled()));
    checker.latest(path).then(resolve, reject).finally(() => subscription.dispose());
  });
  if (token.isCancellationRequested) throw cancelled();
  return report;
}

/** A message the user reads but need not answer: a notification, so nothing waits on it. */
function tell(type: MessageType, message: string): void {
  // Messages carry file names and certificate fields: untrusted text, shown escaped on one line.
  void connection.sendNotification(ShowMessageNotification.type, { type, message: displayText(message) });
}

const OUTLINE_KIND: Record<OutlineSymbol['kind'], SymbolKind> = { namespace: SymbolKind.Namespace, object: SymbolKind.Object, key: SymbolKind.Key, string: SymbolKind.String };

const SYMBOL_KIND: Record<EngineSymbol['kind'], SymbolKind> = {
  certificate: SymbolKind.Class,
  key: SymbolKind.Key,
  request: SymbolKind.Interface,
  other: SymbolKind.Object,
  invalid: SymbolKind.Null,
};

export const APPLY_FIX_COMMAND = 'kubePki.applyFix';
/** Commands behind the editor's "Generate cluster PKI…", "Generate certificate…", "Create CSR…", "Sign CSR with CA…". */
const GENERATION_COMMANDS = ['kubePki.generatePki', 'kubePki.generateCert', 'kubePki.server.createCsr', 'kubePki.server.signCsr'];
const DEFAULTS_COMMAND = 'kubePki.workspaceDefaults';

connection.onInitialize((params: InitializeParams): InitializeResult => {
  // Editors without a trust model are trusted; VS Code says what it knows.
  applySettings({ trusted: true, ...((params.initializationOptions ?? {}) as InitializationOptions) });
  const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)) ?? [params.rootUri ? uriToPath(params.rootUri) : undefined];
  checker.setFolders(folders.filter((f): f is string => !!f));
  watchDynamically = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
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
      executeCommandProvider: { commands: [APPLY_FIX_COMMAND, ...GENERATION_COMMANDS, DEFAULTS_COMMAND] },
    },
    serverInfo: { name: 'kube-pki-language-server' },
  };
});

connection.onInitialized(() => {
  // Editors other than VS Code watch files only when asked.
  if (watchDynamically) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
  void checker.runAll();
});

connection.onNotification('kubePki/setTrusted', (params: { trusted: boolean }) => {
  settings.trusted = params.trusted;
});

/** Changed settings (the client sends them when the user edits kubePki.*): re-check with them. */
connection.onNotification('kubePki/settings', (params: InitializationOptions) => {
  applySettings({ ...params, trusted: settings.trusted && params.trusted !== false });
  checker.schedule();
});

// Debounced per document so typing does not decode on every keystroke.
const DIAGNOSTIC_DELAY_MS = 200;
const pending = new Map<string, NodeJS.Timeout>();

documents.onDidOpen((e) => {
  if (isPemDocument(e.document)) publish(e.document.uri);
  const path = uriToPath(e.document.uri);
  if (path && !isPemDocument(e.document)) checker.schedule(path);
});
documents.onDidChangeContent((e) => {
  const uri = e.document.uri;
  clearTimeout(pending.get(uri));
  pending.set(
    uri,
    setTimeout(() => {
      pending.delete(uri);
      const current = documents.get(uri);
      if (current && isPemDocument(current)) publish(uri);
    }, DIAGNOSTIC_DELAY_MS),
  );
  const path = uriToPath(uri);
  if (path) checker.schedule(path);
});
documents.onDidClose((e) => {
  clearTimeout(pending.get(e.document.uri));
  pending.delete(e.document.uri);
  pemCache.delete(e.document.uri);
  // Back to what the checker says of the file on disk.
  setImmediate(() => publish(e.document.uri));
  const path = uriToPath(e.document.uri);
  if (path) checker.schedule(path);
});
// Changes on disk are re-checked at once, reading only the changed files again.
connection.onDidChangeWatchedFiles((params) => {
  const kinds = { [FileChangeType.Created]: 'created', [FileChangeType.Changed]: 'changed', [FileChangeType.Deleted]: 'deleted' } as const;
  checker.filesChanged(params.changes.flatMap((change) => {
    const path = uriToPath(change.uri);
    return path ? [{ path, kind: kinds[change.type] ?? 'created' }] : [];
  }));
});

connection.onHover(async (params, token): Promise<Hover | null> => {
  const document = documents.get(params.textDocument.uri);
  if (token.isCancellationRequested) throw cancelled();
  if (!document) return null;
  if (isPemDocument(document)) {
    const hover = pemDocumentOf(document).hover(params.position);
    return hover ? { contents: { kind: MarkupKind.Markdown, value: hover.markdown }, range: hover.range } : null;
  }
  const path = uriToPath(document.uri);
  const report = await reportFor(path, token);
  if (!report || !path) return null;
  const hover = hoverReference(report.context, report.findings, path, params.position);
  return hover ? { contents: { kind: MarkupKind.Markdown, value: hover.markdown }, range: hover.range } : null;
});

connection.onDocumentLinks(async (params, token): Promise<DocumentLink[]> => {
  const path = uriToPath(params.textDocument.uri);
  const report = await reportFor(path, token);
  if (!report || !path) return [];
  return referenceLinks(report.context, path).map((l) => ({ range: l.range, target: pathToUri(l.target), tooltip: `Open ${l.target.split('/').pop()}` }));
});

connection.onDefinition(async (params, token): Promise<Location[]> => {
  const path = uriToPath(params.textDocument.uri);
  const report = await reportFor(path, token);
  if (!report || !path) return [];
  const start = { line: 0, character: 0 };
  return referenceLinks(report.context, path)
    .filter((l) => l.range.start.line === params.position.line && l.range.start.character <= params.position.character && params.position.character <= l.range.end.character)
    .map((l) => ({ uri: pathToUri(l.target), range: { start, end: start } }));
});

connection.onCompletion(async (params, token): Promise<CompletionItem[]> => {
  const document = documents.get(params.textDocument.uri);
  const path = uriToPath(params.textDocument.uri);
  if (!document || !path || isPemDocument(document) || !withinLimits(document)) return [];
  const report = await reportFor(path, token);
  const files = report?.context.workspace.files ?? [];
  return completeConfig(document.getText(), path, params.position, files, report?.boundary ?? path.split('/').slice(0, -1).join('/')).map((c, i) => ({
    label: c.label,
    detail: c.detail,
    kind: c.kind === 'flag' ? CompletionItemKind.Property : CompletionItemKind.File,
    textEdit: { range: c.range, newText: c.newText },
    sortText: String(i).padStart(4, '0'),
  }));
});

connection.onCodeLens(async (params, token): Promise<CodeLens[]> => {
  const path = uriToPath(params.textDocument.uri);
  if (!settings.codeLens || !path) return [];
  const report = await reportFor(path, token);
  if (!report) return [];
  const links = referenceLinks(report.context, path);
  return referenceLenses(report.context, path).map((lens) => {
    const target = links.find((l) => l.range.start.line === lens.range.start.line && l.range.start.character === lens.range.start.character)?.target;
    return { range: lens.range, command: { title: lens.title, command: target ? 'kubePki.previewCertificate' : '', arguments: target ? [pathToUri(target)] : [] } };
  });
});

connection.onDocumentSymbol((params): DocumentSymbol[] => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return [];
  if (!isPemDocument(document)) {
    if (!withinLimits(document)) return [];
    const toSymbol = (s: OutlineSymbol): DocumentSymbol => ({ name: s.name, detail: s.detail, kind: OUTLINE_KIND[s.kind], range: s.range, selectionRange: s.selectionRange, children: s.children.map(toSymbol) });
    return kubeconfigSymbols(document.getText(), uriToPath(document.uri) ?? document.uri).map(toSymbol);
  }
  return pemDocumentOf(document)
    .symbols()
    .map((s) => ({ name: s.name, detail: s.detail, kind: SYMBOL_KIND[s.kind], range: s.range, selectionRange: s.selectionRange }));
});

connection.onFoldingRanges((params): FoldingRange[] => {
  const document = documents.get(params.textDocument.uri);
  if (!document || !isPemDocument(document)) return [];
  return pemDocumentOf(document).foldingRanges();
});

connection.onCodeAction((params): CodeAction[] =>
  params.context.diagnostics.flatMap((diagnostic) =>
    fixChoices((diagnostic.data as { fix?: FixSpec } | undefined)?.fix).map((fix, i) => ({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: i === 0,
      command: { title: fix.title, command: APPLY_FIX_COMMAND, arguments: [fix] },
    })),
  ),
);

/**
 * The guard of this moment, for every path a request, command or fix uses: reads inside the
 * workspace folders (trusted or not), the cluster folders of the nodeRoot setting and the
 * documents the user opened; writes only inside the workspace folders, and only when trusted.
 */
function currentGuard(): PathGuard {
  const folders = [...checker.folderPaths()];
  const nodeRoots = settings.nodeRoot ? folders.map((folder) => resolvePath(folder, settings.nodeRoot!)) : [];
  const openFiles = documents.all().flatMap((document) => uriToPath(document.uri) ?? []);
  return new PathGuard({
    readRoots: [...folders, ...nodeRoots.flatMap((root) => NODE_LAYOUT_DIRS.map((dir) => joinPath(root, dir)))],
    readFiles: openFiles,
    writeRoots: settings.trusted ? folders : [],
  });
}

type PathUse = { path: unknown; access: Access; what: string };

/** Judges every path a command uses, before it does anything: all must pass, or the command is refused with each reason. */
function refusePaths(guard: PathGuard, uses: PathUse[]): string | undefined {
  const reasons: string[] = [];
  for (const use of uses) {
    if (use.path === undefined) continue;
    if (typeof use.path !== 'string' || use.path === '') {
      reasons.push(`${use.what} must be a path`);
      continue;
    }
    const verdict = guard.check(resolvePath(use.path), use.access);
    if (!verdict.ok) reasons.push(`${use.what} ${verdict.error.message}`);
  }
  return reasons.length ? reasons.join('; ') : undefined;
}

/** Every file a fix reads (signer, kept key, kubeconfig) or writes, with how. */
function fixPaths(fix: FixSpec): PathUse[] {
  const signer = (files: { certPath: unknown; keyPath: unknown } | undefined, access: Access): PathUse[] =>
    files ? [{ path: files.certPath, access, what: 'the CA certificate' }, { path: files.keyPath, access, what: 'the CA key' }] : [];
  if (fix.kind === 'issue-certificate') {
    return [
      { path: fix.certPath, access: 'write', what: 'the certificate' },
      { path: fix.keyPath, access: fix.key === 'keep' ? 'read' : 'write', what: 'the key' },
      ...signer(fix.signer, 'read'),
      ...signer(fix.createSigner?.files, 'write'),
    ];
  }
  return [{ path: fix.kubeconfigPath, access: 'write', what: 'the kubeconfig' }, ...signer(fix.signer, 'read')];
}

/** The paths each generation command reads and writes; the engine derives the rest (a CA's key beside it) under the same guard. */
function generationPaths(command: string, args: Record<string, unknown>): PathUse[] {
  switch (command) {
    case 'kubePki.generatePki':
      return [{ path: args.outDir ?? '', access: 'write', what: 'the output folder' }];
    case 'kubePki.generateCert':
      return [{ path: args.pkiDir ?? '', access: 'write', what: 'the PKI folder' }];
    case 'kubePki.server.createCsr':
      return [{ path: args.prefix ?? '', access: 'write', what: 'the output prefix' }];
    default:
      return [
        { path: args.csrPath ?? '', access: 'read', what: 'the CSR' },
        { path: args.caCertPath ?? '', access: 'read', what: 'the CA certificate' },
        { path: args.caKeyPath, access: 'read', what: 'the CA key' },
        { path: args.outPath, access: 'write', what: 'the output' },
      ];
  }
}

/** Runs a generation command: only in a trusted workspace, only with paths the guard allows, then re-checks. */
async function runGeneration(command: string, args: Record<string, unknown>): Promise<unknown> {
  if (!settings.trusted) {
    tell(MessageType.Error, 'Kubernetes PKI: this workspace is not trusted, so kube-pki writes nothing.');
    return { written: [], error: 'untrusted' };
  }
  const guard = currentGuard();
  const refused = refusePaths(guard, generationPaths(command, args));
  if (refused) {
    tell(MessageType.Error, `Kubernetes PKI: ${refused}. Nothing was written.`);
    return { written: [], error: 'outside-workspace' };
  }
  const params: ClusterParams = { ...DEFAULT_PARAMS, ...((args.params ?? {}) as Partial<ClusterParams>) };
  const path = (key: string) => resolvePath(String(args[key]));
  try {
    let written: string[];
    let skipped: Array<{ path: string; reason: string }> = [];
    switch (command) {
      case 'kubePki.generatePki': {
        const report = await generatePki(guard, path('outDir'), params);
        written = report.written;
        skipped = report.skipped;
        break;
      }
      case 'kubePki.generateCert':
        written = await generateProfileCert(guard, path('pkiDir'), String(args.profile), params);
        break;
      case 'kubePki.server.createCsr':
        written = await createCsrFiles(guard, path('prefix'), args.subject as Array<[string, string]>, (args.sans as string[]) ?? [], params.keyType);
        break;
      default: {
        const signed = await signCsrFile(guard, path('csrPath'), path('caCertPath'), {
          caKeyPath: args.caKeyPath === undefined ? undefined : path('caKeyPath'),
          outPath: args.outPath === undefined ? undefined : path('outPath'),
          usages: args.usages as Usage[] | undefined,
          validityDays: args.validityDays as number | undefined,
        });
        written = [signed.path];
      }
    }
    await checker.runAll();
    tell(MessageType.Info, `Kubernetes PKI: wrote ${written.length} file${written.length === 1 ? '' : 's'}${skipped.length ? `; left ${skipped.length} existing file${skipped.length === 1 ? '' : 's'} alone` : ''}`);
    return { written, skipped };
  } catch (e) {
    tell(MessageType.Error, `Kubernetes PKI: ${(e as Error).message}`);
    return { written: [], error: e instanceof OutsideError ? 'outside-workspace' : (e as Error).message };
  }
}

connection.onExecuteCommand(async (params) => {
  if (GENERATION_COMMANDS.includes(params.command)) return runGeneration(params.command, (params.arguments?.[0] ?? {}) as Record<string, unknown>);
  if (params.command === DEFAULTS_COMMAND) {
    const folder = (params.arguments?.[0] as { folder?: unknown } | undefined)?.folder ?? [...checker.folderPaths()][0];
    if (folder === undefined) return DEFAULT_PARAMS;
    // Reads (lists and parses) a folder: one of the workspace's, never /usr or /.
    const refused = refusePaths(currentGuard(), [{ path: folder, access: 'read', what: 'the folder' }]);
    if (refused) throw new ResponseError(ErrorCodes.InvalidParams, `Kubernetes PKI: ${refused}`);
    return workspaceDefaults(currentGuard(), resolvePath(String(folder)));
  }
  if (params.command !== APPLY_FIX_COMMAND) return undefined;
  const fix = params.arguments?.[0] as FixSpec | undefined;
  if (!fix || typeof fix !== 'object') return undefined;
  if (!settings.trusted) {
    tell(MessageType.Error, 'Kubernetes PKI: this workspace is not trusted, so kube-pki writes nothing. Trust the workspace to apply fixes.');
    return { written: [], backups: [], cancelled: true, reason: 'untrusted' };
  }
  // The fix arrives from the client: every file it would read or write must pass the guard.
  const guard = currentGuard();
  const refused = refusePaths(guard, fixPaths(fix));
  if (refused) {
    tell(MessageType.Error, `Kubernetes PKI: ${refused}. Nothing was written.`);
    return { written: [], backups: [], cancelled: true, reason: 'outside-workspace' };
  }
  if (fix.kind === 'issue-certificate' && fix.createSigner) {
    const answer = await connection.window.showWarningMessage(`${displayText(fix.title)}: its CA ${displayText(fix.createSigner.files.certPath.split('/').pop() ?? '')} is missing too. Create a new CA? Certificates signed by the old one will not verify under it.`, { title: 'Create CA' }, { title: 'Cancel' });
    if (answer?.title !== 'Create CA') return { written: [], backups: [], cancelled: true };
  }
  try {
    const plan = await planFix(guard, fix);
    const outcome = await applyPlan(guard, plan, async (replaced) => {
      const answer = await connection.window.showWarningMessage(
        `${displayText(fix.title)}: replace ${replaced.map((p) => displayText(p.split('/').pop() ?? '')).join(', ')}? The current file${replaced.length > 1 ? 's are' : ' is'} kept as .bak.`,
        { title: 'Replace' },
        { title: 'Cancel' },
      );
      return answer?.title === 'Replace';
    });
    if (!outcome.cancelled) {
      await checker.runAll();
      tell(MessageType.Info, `Kubernetes PKI: wrote ${outcome.written.map((p) => p.split('/').pop()).join(', ')}${outcome.backups.length ? ` (backups: ${outcome.backups.map((p) => p.split('/').pop()).join(', ')})` : ''}`);
    }
    return outcome;
  } catch (e) {
    tell(MessageType.Error, `Kubernetes PKI: the fix failed, nothing was replaced: ${(e as Error).message}`);
    return { written: [], backups: [], cancelled: true, reason: e instanceof OutsideError ? 'outside-workspace' : (e as Error).message };
  }
});

/** The preview panel's data: decoded here, rendered by the client (which has no decoder of its own). */
connection.onRequest('kubePki/previewData', async (params: { uri: string; content?: string }): Promise<PreviewData> => {
  const path = uriToPath(params.uri) ?? params.uri;
  const open = documents.get(params.uri);
  let decoded;
  if (open && isPemDocument(open)) decoded = pemDocumentOf(open).decoded;
  // A file the user opened with "Open With… Certificate Preview": VS Code read it for them, the client sends its bytes.
  else if (typeof params.content === 'string') decoded = params.content.length > (MAX_PKI_FILE_BYTES * 4) / 3 + 4 ? { format: 'none' as const, blocks: [], error: 'file too large' } : decodePkiBytes(new Uint8Array(Buffer.from(params.content, 'base64')));
  // Anything else is read from disk only where the guard allows: never /etc/ssl or a user's home.
  else decoded = await loadPkiFile(path, currentGuard());
  return previewData(path, decoded);
});

/** The explorer view "Kubernetes PKI": every CA with what it signed, per workspace folder. */
connection.onRequest('kubePki/pkiTree', async (_params: unknown, token: CancellationToken): Promise<PkiTree[]> => {
  const reports = await Promise.all([...checker.folderPaths()].map((folder) => reportFor(folder, token)));
  return reports.flatMap((report) => (report ? [pkiTree(report.context)] : []));
});

documents.listen(connection);
connection.listen();
