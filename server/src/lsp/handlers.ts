import {
  CancellationToken,
  CodeAction,
  CodeActionKind,
  CodeLens,
  CompletionItem,
  CompletionItemKind,
  Connection,
  DocumentLink,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  SymbolKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FixSpec } from '../engine/check/fixSpec';
import type { EngineCompletion } from '../engine/features/configCompletion';
import type { OutlineSymbol } from '../engine/features/kubeconfigSymbols';
import type { PkiTree } from '../engine/features/pkiTree';
import type { PreviewData } from '../engine/features/previewData';
import type { EngineSymbol } from '../engine/features/types';
import type { CheckedReport, ExpirySummary, KubePkiService } from '../engine/service';
import { ApplyFixCommand, ExpirySummaryRequest, PkiTreeRequest, PREVIEW_CERTIFICATE_COMMAND, PreviewDataParams, PreviewDataRequest } from '../protocol';
import { cancelled, reportFor } from './cancellation';
import { pathToUri, uriToPath } from './convert';
import { toHover } from './hover';
import { isPemDocument, PemDocuments, withinLimits } from './pemDocuments';
import type { Settings } from './settings';
import type { WorkspaceChecker } from './workspaceChecker';

const OUTLINE_KIND: Record<OutlineSymbol['kind'], SymbolKind> = {
  namespace: SymbolKind.Namespace,
  object: SymbolKind.Object,
  key: SymbolKind.Key,
  string: SymbolKind.String,
};

const COMPLETION_KIND: Record<EngineCompletion['kind'], CompletionItemKind> = {
  flag: CompletionItemKind.Property,
  file: CompletionItemKind.File,
  value: CompletionItemKind.Value,
};

const SYMBOL_KIND: Record<EngineSymbol['kind'], SymbolKind> = {
  certificate: SymbolKind.Class,
  key: SymbolKind.Key,
  request: SymbolKind.Interface,
  other: SymbolKind.Object,
  invalid: SymbolKind.Null,
};

/** What the handlers read: the documents, their decoded PEM, the workspace check and the settings. */
export interface HandlerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  service: KubePkiService;
  pems: PemDocuments;
  checker: WorkspaceChecker;
  settingsOf(path: string): Settings;
  /** Whether the client runs the preview command from a hover's link (initializationOptions.commandLinks). */
  commandLinks(): boolean;
  /** Whether the client shows the diagnostics under the pointer in the hover (initializationOptions.hoverShowsDiagnostics). */
  hoverShowsDiagnostics(): boolean;
}

type Report = (path: string | undefined, token: CancellationToken) => Promise<CheckedReport | undefined>;

/** Hover, links, definition, completion and code lens: over the workspace check's model (a PEM document hovers on its own). */
function registerReferenceHandlers(ctx: HandlerContext, report: Report): void {
  const { connection, documents, service, pems } = ctx;
  connection.onHover(async (params, token): Promise<Hover | null> => {
    const document = documents.get(params.textDocument.uri);
    if (token.isCancellationRequested) throw cancelled();
    if (!document) return null;
    // The PEM document's expiry window is the folder's setting, as the checker's (one window, one judgement).
    if (isPemDocument(document))
      return toHover(
        pems.of(document).hover(params.position, new Date(), ctx.settingsOf(uriToPath(document.uri) ?? '').expiryWarningDays),
        document.uri,
        ctx.commandLinks(),
      );
    // A document that explains itself (an openssl profile's keys) needs no check.
    const own = withinLimits(service, document) ? service.documentHover(document.getText(), params.position) : undefined;
    if (own) return toHover(own, undefined, ctx.commandLinks());
    const path = uriToPath(document.uri);
    // During the folder's first pass, a value of the file (a Secret's tls.crt, a caBundle) is decoded from the open files' own check.
    const early = path ? await ctx.checker.earlyReport(path) : undefined;
    const value = early && path ? service.valueHover(early, path, params.position, ctx.hoverShowsDiagnostics()) : undefined;
    if (value) return toHover(value, undefined, ctx.commandLinks());
    const checked = await report(path, token);
    if (!checked || !path) return null;
    const hover = service.hover(checked, path, params.position, ctx.hoverShowsDiagnostics());
    return toHover(hover, hover?.previewFile ? pathToUri(hover.previewFile) : undefined, ctx.commandLinks());
  });

  connection.onDocumentLinks(async (params, token): Promise<DocumentLink[]> => {
    const path = uriToPath(params.textDocument.uri);
    const checked = await report(path, token);
    if (!checked || !path) return [];
    return service.links(checked, path).map((l) => ({ range: l.range, target: pathToUri(l.target), tooltip: `Open ${l.target.split('/').pop()}` }));
  });

  connection.onDefinition(async (params, token): Promise<Location[]> => {
    const path = uriToPath(params.textDocument.uri);
    const checked = await report(path, token);
    if (!checked || !path) return [];
    const start = { line: 0, character: 0 };
    return service.definition(checked, path, params.position).map((target) => ({ uri: pathToUri(target), range: { start, end: start } }));
  });

  connection.onCompletion(async (params, token): Promise<CompletionItem[]> => {
    const document = documents.get(params.textDocument.uri);
    const path = uriToPath(params.textDocument.uri);
    if (!document || !path || isPemDocument(document) || !withinLimits(service, document)) return [];
    const checked = await report(path, token);
    return service.completion(document.getText(), path, params.position, checked).map((c, i) => ({
      label: c.label,
      detail: c.detail,
      kind: COMPLETION_KIND[c.kind],
      textEdit: { range: c.range, newText: c.newText },
      sortText: String(i).padStart(4, '0'),
    }));
  });

  connection.onCodeLens(async (params, token): Promise<CodeLens[]> => {
    const path = uriToPath(params.textDocument.uri);
    if (!path || !ctx.settingsOf(path).codeLens) return [];
    const checked = await report(path, token);
    if (!checked) return [];
    return service.lenses(checked, path).map((lens) => ({
      range: lens.range,
      command: { title: lens.title, command: lens.target ? PREVIEW_CERTIFICATE_COMMAND : '', arguments: lens.target ? [pathToUri(lens.target)] : [] },
    }));
  });
}

/** The outline and folding of PEM documents and kubeconfigs. */
function registerOutlineHandlers(ctx: HandlerContext): void {
  const { connection, documents, service, pems } = ctx;
  connection.onDocumentSymbol((params): DocumentSymbol[] => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    if (!isPemDocument(document)) {
      if (!withinLimits(service, document)) return [];
      const toSymbol = (s: OutlineSymbol): DocumentSymbol => ({
        name: s.name,
        detail: s.detail,
        kind: OUTLINE_KIND[s.kind],
        range: s.range,
        selectionRange: s.selectionRange,
        children: s.children.map(toSymbol),
      });
      return service.symbols(document.getText(), uriToPath(document.uri) ?? document.uri).map(toSymbol);
    }
    return pems
      .of(document)
      .symbols()
      .map((s) => ({ name: s.name, detail: s.detail, kind: SYMBOL_KIND[s.kind], range: s.range, selectionRange: s.selectionRange }));
  });

  connection.onFoldingRanges((params): FoldingRange[] => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isPemDocument(document)) return [];
    return pems.of(document).foldingRanges();
  });
}

/** Quick fixes: the fix a diagnostic carries, and its alternatives, as commands the executor runs. */
function registerCodeActions(ctx: HandlerContext): void {
  const { connection, service } = ctx;
  connection.onCodeAction(async (params): Promise<CodeAction[]> => {
    const actions = params.context.diagnostics.flatMap((diagnostic) =>
      service.fixChoices((diagnostic.data as { fix?: FixSpec } | undefined)?.fix).map(async (choice, i): Promise<CodeAction[]> => {
        // A Secret's certificate is signed now, its value becomes the edit; a read the guard refuses drops the action.
        const fix = await service.resolveFix(choice).catch(() => undefined);
        if (!fix) return [];
        return [
          {
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: i === 0,
            // A text edit goes to the open document (undoable, saved by the user); the others write files through the executor.
            ...(fix.kind === 'edit-text'
              ? { edit: { changes: { [pathToUri(fix.path)]: fix.edits } } }
              : { command: { title: fix.title, command: ApplyFixCommand.command, arguments: [fix] } }),
          },
        ];
      }),
    );
    return (await Promise.all(actions)).flat();
  });
}

/** kube-pki's own requests: the preview panel's data and the PKI view. */
function registerKubePkiRequests(ctx: HandlerContext, report: Report): void {
  const { connection, documents, service, pems, checker } = ctx;
  // The preview panel's data: decoded here, rendered by the client (which has no decoder of its own).
  connection.onRequest(PreviewDataRequest.method, async (params: PreviewDataParams, token: CancellationToken): Promise<PreviewData> => {
    const path = uriToPath(params.uri) ?? params.uri;
    const open = documents.get(params.uri);
    let decoded;
    if (open && isPemDocument(open)) decoded = pems.of(open).decoded;
    // A file the user opened with "Open With… Certificate Preview": VS Code read it for them, the client sends its bytes.
    else if (typeof params.content === 'string') decoded = service.decodeBase64(params.content);
    // Anything else is read from disk only where the guard allows: never /etc/ssl or a user's home.
    else decoded = await service.loadPkiFile(path);
    // A file in a checked folder: its CAs in the workspace and who names it, from that folder's check.
    const checked = params.content === undefined ? await report(path, token) : undefined;
    return service.previewData(path, decoded, checked);
  });

  // The explorer view "Kubernetes PKI": every CA with what it signed, per workspace folder.
  connection.onRequest(PkiTreeRequest.method, async (_params: unknown, token: CancellationToken): Promise<PkiTree[]> => {
    const reports = await Promise.all([...checker.folderPaths()].map((folder) => report(folder, token)));
    return Promise.all(reports.flatMap((checked) => (checked ? [service.pkiTree(checked)] : [])));
  });

  // The status bar's count over every folder, from the same expiry table as `kube-pki expiry`.
  connection.onRequest(ExpirySummaryRequest.method, async (_params: unknown, token: CancellationToken): Promise<ExpirySummary> => {
    const reports = await Promise.all([...checker.folderPaths()].map((folder) => report(folder, token)));
    const summaries = await Promise.all(reports.flatMap((checked) => (checked ? [service.expirySummary(checked)] : [])));
    return {
      expired: summaries.reduce((n, s) => n + s.expired, 0),
      expiring: summaries.reduce((n, s) => n + s.expiring, 0),
      warningDays: Math.max(0, ...summaries.map((s) => s.warningDays)),
      due: summaries.flatMap((s) => s.due).sort((a, b) => a.notAfter.localeCompare(b.notAfter)),
    };
  });
}

/**
 * The language features: each handler adapts an LSP request to the service and its
 * result back to LSP types (as yaml-language-server's languageHandlers.ts). No PKI
 * logic here.
 */
export function registerLanguageHandlers(ctx: HandlerContext): void {
  const report: Report = (path, token) => reportFor(ctx.checker, path, token);
  registerReferenceHandlers(ctx, report);
  registerOutlineHandlers(ctx);
  registerCodeActions(ctx);
  registerKubePkiRequests(ctx, report);
}
