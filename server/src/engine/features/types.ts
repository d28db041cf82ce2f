import type { Severity } from '../severity';
import type { Position, Range } from '../text/lineIndex';

/**
 * Editor-neutral results of the language features. Shapes follow LSP closely
 * (zero-based UTF-16 positions) so the server maps them one to one, but no LSP
 * package is imported here: the engine stays a plain library.
 */
export interface EngineDiagnostic {
  range: Range;
  severity: Severity;
  /** Stable code, e.g. "pem-invalid-block" or a decoder problem code. */
  code: string;
  message: string;
}

export interface EngineHover {
  /** Markdown, with every untrusted field escaped. */
  markdown: string;
  range: Range;
  /** The fields the hover leaves out (Markdown), for a client that cannot open the preview from a "Show all fields" link. */
  moreFields?: string;
  /** The file whose preview shows every field: a reference's resolved file (a PEM document's is the document itself). */
  previewFile?: string;
}

export interface EngineSymbol {
  name: string;
  detail: string;
  kind: 'certificate' | 'key' | 'request' | 'other' | 'invalid';
  range: Range;
  selectionRange: Range;
}

export interface EngineFoldingRange {
  startLine: number;
  endLine: number;
}

export type { Position, Range };
