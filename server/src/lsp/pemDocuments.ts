import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { PemDocument } from '../engine/features/pemDocument';
import type { KubePkiService } from '../engine/service';

export function isPemDocument(document: TextDocument): boolean {
  return document.languageId === 'pem';
}

/**
 * Open documents are read up to the checker's limits, in the editor as on disk: an
 * open 50 MB YAML file would otherwise hold the server for seconds on every
 * re-check, outline and completion.
 */
export function withinLimits(service: KubePkiService, document: TextDocument): boolean {
  return document.getText().length <= (isPemDocument(document) ? service.limits.pkiFileBytes : service.limits.configFileBytes);
}

/** Decoded PEM documents by URI, valid for one document version: hover, symbols, folding and diagnostics share one decode. */
export class PemDocuments {
  private readonly cache = new Map<string, { version: number; pem: PemDocument }>();

  constructor(private readonly service: KubePkiService) {}

  of(document: TextDocument): PemDocument {
    const cached = this.cache.get(document.uri);
    if (cached && cached.version === document.version) return cached.pem;
    const pem = this.service.pemDocument(document.getText());
    this.cache.set(document.uri, { version: document.version, pem });
    return pem;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}
