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
import { PreviewData, previewData } from './engine/features/previewData';
import { PkiTree, pkiTree } from './engine/features/pkiTree';
import { loadPkiFile } from './engine/io/pkiFile';
import type { EngineSymbol } from './engine/features/types';
import { applyPlan, planFix } from './engine/fix/applyFix';
import type { FixSpec } from './engine/fix/fixSpec';
import { fixChoices } from './engine/fix/variants';
import { engineToDiagnostic, pathToUri, uriToPath } from './lsp/convert';
import { completeConfig } from './engine/features/configCompletion';
import { OutlineSymbol, kubeconfigSymbols } from './engine/features/kubeconfigSymbols';
import { hoverReference, referenceLenses, referenceLinks } from './engine/features/referenceFeatures';
import { WorkspaceChecker } from './lsp/workspaceChecker';
import type { CheckReport } from './engine/check/runCheck';
import { MAX_CONFIG_FILE_BYTES } from './engine/check/workspace';
import { MAX_PKI_FILE_BYTES } from './engine/pki/decode';
import { resolve as resolvePath } from 'node:path';
import { generatePki } from './engine/gen/generatePki';
import type { Usage } from './engine/gen/issue';
import { createCsrFiles, generateProfileCert, signCsrFile, workspaceDefaults } from './engine/gen/operations';
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
  void connection.sendNotification(ShowMessageNotification.type, { type, message });
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

/** Every file a fix reads (signer, kept key, kubeconfig) or writes. */
function fixPaths(fix: FixSpec): string[] {
  const signers = [fix.signer, fix.kind === 'issue-certificate' ? fix.createSigner?.files : undefined].flatMap((s) => (s ? [s.certPath, s.keyPath] : []));
  return [...(fix.kind === 'issue-certificate' ? [fix.certPath, fix.keyPath] : [fix.kubeconfigPath]), ...signers].map(String);
}

/** Runs a generation command: only in a trusted workspace, only inside a workspace folder, then re-checks. */
async function runGeneration(command: string, args: Record<string, unknown>): Promise<unknown> {
  if (!settings.trusted) {
    tell(MessageType.Error, 'Kubernetes PKI: this workspace is not trusted, so kube-pki writes nothing.');
    return { written: [], error: 'untrusted' };
  }
  const target = String(args.outDir ?? args.pkiDir ?? args.prefix ?? args.outPath ?? args.csrPath ?? '');
  if (!target || !checker.folderOf(resolvePath(target))) {
    tell(MessageType.Error, `Kubernetes PKI: ${target || 'the output'} is outside the workspace folders; kube-pki writes only inside them.`);
    return { written: [], error: 'outside-workspace' };
  }
  const params: ClusterParams = { ...DEFAULT_PARAMS, ...((args.params ?? {}) as Partial<ClusterParams>) };
  try {
    let written: string[];
    let skipped: Array<{ path: string; reason: string }> = [];
    switch (command) {
      case 'kubePki.generatePki': {
        const report = await generatePki(resolvePath(String(args.outDir)), params);
        written = report.written;
        skipped = report.skipped;
        break;
      }
      case 'kubePki.generateCert':
        written = await generateProfileCert(resolvePath(String(args.pkiDir)), String(args.profile), params);
        break;
      case 'kubePki.server.createCsr':
        written = await createCsrFiles(resolvePath(String(args.prefix)), args.subject as Array<[string, string]>, (args.sans as string[]) ?? [], params.keyType);
        break;
      default: {
        const signed = await signCsrFile(resolvePath(String(args.csrPath)), resolvePath(String(args.caCertPath)), { caKeyPath: args.caKeyPath as string | undefined, outPath: args.outPath as string | undefined, usages: args.usages as Usage[] | undefined, validityDays: args.validityDays as number | undefined });
        written = [signed.path];
      }
    }
    await checker.runAll();
    tell(MessageType.Info, `Kubernetes PKI: wrote ${written.length} file${written.length === 1 ? '' : 's'}${skipped.length ? `; left ${skipped.length} existing file${skipped.length === 1 ? '' : 's'} alone` : ''}`);
    return { written, skipped };
  } catch (e) {
    tell(MessageType.Error, `Kubernetes PKI: ${(e as Error).message}`);
    return { written: [], error: (e as Error).message };
  }
}

connection.onExecuteCommand(async (params) => {
  if (GENERATION_COMMANDS.includes(params.command)) return runGeneration(params.command, (params.arguments?.[0] ?? {}) as Record<string, unknown>);
  if (params.command === DEFAULTS_COMMAND) {
    const folder = (params.arguments?.[0] as { folder?: string } | undefined)?.folder ?? [...checker.folderPaths()][0];
    return folder ? workspaceDefaults(folder) : DEFAULT_PARAMS;
  }
  if (params.command !== APPLY_FIX_COMMAND) return undefined;
  const fix = params.arguments?.[0] as FixSpec | undefined;
  if (!fix) return undefined;
  if (!settings.trusted) {
    tell(MessageType.Error, 'Kubernetes PKI: this workspace is not trusted, so kube-pki writes nothing. Trust the workspace to apply fixes.');
    return { written: [], backups: [], cancelled: true, reason: 'untrusted' };
  }
  // The fix arrives from the client: every file it would read or write must be inside a workspace folder.
  const outside = fixPaths(fix).filter((p) => !checker.folderOf(resolvePath(p)));
  if (outside.length > 0) {
    tell(MessageType.Error, `Kubernetes PKI: ${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} outside the workspace folders; kube-pki reads and writes only inside them.`);
    return { written: [], backups: [], cancelled: true, reason: 'outside-workspace' };
  }
  if (fix.kind === 'issue-certificate' && fix.createSigner) {
    const answer = await connection.window.showWarningMessage(`${fix.title}: its CA ${fix.createSigner.files.certPath.split('/').pop()} is missing too. Create a new CA? Certificates signed by the old one will not verify under it.`, { title: 'Create CA' }, { title: 'Cancel' });
    if (answer?.title !== 'Create CA') return { written: [], backups: [], cancelled: true };
  }
  try {
    const plan = await planFix(fix);
    const outcome = await applyPlan(plan, async (replaced) => {
      const answer = await connection.window.showWarningMessage(
        `${fix.title}: replace ${replaced.map((p) => p.split('/').pop()).join(', ')}? The current file${replaced.length > 1 ? 's are' : ' is'} kept as .bak.`,
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
    return { written: [], backups: [], cancelled: true, reason: (e as Error).message };
  }
});

/** The preview panel's data: decoded here, rendered by the client (which has no decoder of its own). */
connection.onRequest('kubePki/previewData', async (params: { uri: string }): Promise<PreviewData> => {
  const path = uriToPath(params.uri) ?? params.uri;
  const open = documents.get(params.uri);
  const decoded = open && isPemDocument(open) ? pemDocumentOf(open).decoded : await loadPkiFile(path);
  return previewData(path, decoded);
});

/** The explorer view "Kubernetes PKI": every CA with what it signed, per workspace folder. */
connection.onRequest('kubePki/pkiTree', async (_params: unknown, token: CancellationToken): Promise<PkiTree[]> => {
  const reports = await Promise.all([...checker.folderPaths()].map((folder) => reportFor(folder, token)));
  return reports.flatMap((report) => (report ? [pkiTree(report.context)] : []));
});

documents.listen(connection);
connection.listen();
