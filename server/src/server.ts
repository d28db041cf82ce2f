/**
 * The language server: a thin adapter from LSP to the engine. It owns no
 * PKI logic; it decodes a document once per version and maps engine results
 * to LSP types. Started over IPC by the VS Code client, or with --stdio by
 * any other editor (Neovim, Helix...).
 */
import {
  CancellationToken,
  Diagnostic,
  DiagnosticSeverity,
  DocumentSymbol,
  FoldingRange,
  Hover,
  InitializeResult,
  MarkupKind,
  ProposedFeatures,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PemDocument } from './engine/features/pemDocument';
import type { EngineDiagnostic, EngineSymbol } from './engine/features/types';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

/** Decoded documents by URI, valid for one document version. */
const cache = new Map<string, { version: number; pem: PemDocument }>();

function pemDocumentOf(document: TextDocument): PemDocument {
  const cached = cache.get(document.uri);
  if (cached && cached.version === document.version) return cached.pem;
  const pem = new PemDocument(document.getText());
  cache.set(document.uri, { version: document.version, pem });
  return pem;
}

const SEVERITY: Record<EngineDiagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const SYMBOL_KIND: Record<EngineSymbol['kind'], SymbolKind> = {
  certificate: SymbolKind.Class,
  key: SymbolKind.Key,
  request: SymbolKind.Interface,
  other: SymbolKind.Object,
  invalid: SymbolKind.Null,
};

connection.onInitialize(
  (): InitializeResult => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      documentSymbolProvider: true,
      foldingRangeProvider: true,
    },
    serverInfo: { name: 'kube-pki-language-server' },
  }),
);

// Diagnostics are debounced per document so typing does not decode on every keystroke.
const DIAGNOSTIC_DELAY_MS = 200;
const pending = new Map<string, NodeJS.Timeout>();

function scheduleDiagnostics(document: TextDocument): void {
  clearTimeout(pending.get(document.uri));
  pending.set(
    document.uri,
    setTimeout(() => {
      pending.delete(document.uri);
      publishDiagnostics(document);
    }, DIAGNOSTIC_DELAY_MS),
  );
}

function publishDiagnostics(document: TextDocument): void {
  const current = documents.get(document.uri);
  if (!current) return;
  try {
    const diagnostics: Diagnostic[] = pemDocumentOf(current)
      .diagnostics()
      .map((d) => ({ range: d.range, severity: SEVERITY[d.severity], code: d.code, source: 'kube-pki', message: d.message }));
    void connection.sendDiagnostics({ uri: current.uri, version: current.version, diagnostics });
  } catch (e) {
    // A decoder bug must not take the server down or hide other files' results.
    connection.console.error(`kube-pki: diagnostics failed for ${current.uri}: ${(e as Error).message}`);
  }
}

documents.onDidOpen((e) => publishDiagnostics(e.document));
documents.onDidChangeContent((e) => scheduleDiagnostics(e.document));
documents.onDidClose((e) => {
  clearTimeout(pending.get(e.document.uri));
  pending.delete(e.document.uri);
  cache.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onHover((params, token: CancellationToken): Hover | null => {
  const document = documents.get(params.textDocument.uri);
  if (!document || token.isCancellationRequested) return null;
  const hover = pemDocumentOf(document).hover(params.position);
  return hover ? { contents: { kind: MarkupKind.Markdown, value: hover.markdown }, range: hover.range } : null;
});

connection.onDocumentSymbol((params): DocumentSymbol[] => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return [];
  return pemDocumentOf(document)
    .symbols()
    .map((s) => ({ name: s.name, detail: s.detail, kind: SYMBOL_KIND[s.kind], range: s.range, selectionRange: s.selectionRange }));
});

connection.onFoldingRanges((params): FoldingRange[] => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return [];
  return pemDocumentOf(document).foldingRanges();
});

documents.listen(connection);
connection.listen();
