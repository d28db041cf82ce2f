import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { engineToDiagnostic } from './convert';
import { isPemDocument, PemDocuments } from './pemDocuments';

/**
 * One publish per URI, from two sources: an open PEM document's own diagnostics
 * (decoded from the editor's text), else the workspace check's findings.
 */
export class DiagnosticsPublisher {
  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly pems: PemDocuments,
    /** The workspace check's diagnostics of a URI. */
    private readonly fromCheck: (uri: string) => Diagnostic[] | undefined,
    /** The expiry window (days) of the folder holding a URI: the PEM document warns as the checker does. */
    private readonly expiryWarningDays: (uri: string) => number,
  ) {}

  publish(uri: string): void {
    const document = this.documents.get(uri);
    let diagnostics: Diagnostic[];
    if (document && isPemDocument(document)) {
      try {
        diagnostics = this.pems.of(document).diagnostics(new Date(), this.expiryWarningDays(uri)).map(engineToDiagnostic);
      } catch (e) {
        this.connection.console.error(`kube-pki: diagnostics failed for ${uri}: ${(e as Error).message}`);
        diagnostics = [];
      }
    } else {
      diagnostics = this.fromCheck(uri) ?? [];
    }
    void this.connection.sendDiagnostics({ uri, version: document?.version, diagnostics });
  }
}
