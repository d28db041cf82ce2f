import { describeBlock, titleOfBlock } from '../format/describe';
import { renderMarkdown } from '../format/markdown';
import { DecodedBlock, DecodedFile, decodePemText } from '../pki/decode';
import { displayText } from '../text/displayText';
import { LineIndex, Position, Range } from '../text/lineIndex';
import { DEFAULT_EXPIRY_WARNING_DAYS, expiryPhrase, expiryStatus } from '../verify/validity';
import { EngineDiagnostic, EngineFoldingRange, EngineHover, EngineSymbol } from './types';

/** A PEM text decoded once; every feature of the document reads from it. */
const EXPIRY_CODES = { expired: 'cert-expired', 'not-yet-valid': 'cert-not-yet-valid', expiring: 'cert-expiring-soon' } as const;

export class PemDocument {
  readonly lineIndex: LineIndex;
  readonly decoded: DecodedFile;

  constructor(readonly text: string) {
    this.lineIndex = new LineIndex(text);
    this.decoded = decodePemText(text, this.lineIndex);
  }

  get blocks(): DecodedBlock[] {
    return this.decoded.blocks;
  }

  blockAt(position: Position): DecodedBlock | undefined {
    const offset = this.lineIndex.offsetAt(position);
    return this.blocks.find((b) => b.span && b.span.start <= offset && offset <= b.span.end);
  }

  /** `warningDays`: the expiry window, the checker's (kubePki.expiryWarningDays), so a .crt says what its flag says. */
  hover(position: Position, at: Date = new Date(), warningDays = DEFAULT_EXPIRY_WARNING_DAYS): EngineHover | undefined {
    const block = this.blockAt(position);
    if (!block?.range) return undefined;
    const { markdown, rest } = renderMarkdown(describeBlock(block, at, warningDays));
    return { markdown, range: block.range, moreFields: rest || undefined };
  }

  symbols(): EngineSymbol[] {
    return this.blocks.flatMap((block) => {
      if (!block.range) return [];
      const range = block.range;
      const firstLine: Range = { start: range.start, end: { line: range.start.line, character: this.lineLength(range.start.line) } };
      const kind: EngineSymbol['kind'] = !block.object
        ? 'invalid'
        : block.object.kind === 'certificate'
          ? 'certificate'
          : block.object.kind === 'csr'
            ? 'request'
            : block.object.kind === 'other'
              ? 'other'
              : 'key';
      return [{ name: displayText(titleOfBlock(block)), detail: displayText(block.label), kind, range, selectionRange: firstLine }];
    });
  }

  foldingRanges(): EngineFoldingRange[] {
    return this.blocks
      .filter((b) => b.range && b.range.end.line > b.range.start.line)
      .map((b) => ({ startLine: b.range!.start.line, endLine: b.range!.end.line }));
  }

  /**
   * One diagnostic per problem, on the block's BEGIN line (so a 30-line block
   * is not painted red): malformed blocks, decoding errors, decoder problems
   * and expiry.
   */
  diagnostics(at: Date = new Date(), warningDays = DEFAULT_EXPIRY_WARNING_DAYS): EngineDiagnostic[] {
    const diagnostics: EngineDiagnostic[] = [];
    if (this.decoded.error && this.text.trim() !== '') {
      diagnostics.push({
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: this.lineLength(0) } },
        severity: 'warning',
        code: 'pem-no-block',
        message: this.decoded.error,
      });
    }
    for (const block of this.blocks) {
      if (!block.range) continue;
      const range: Range = { start: block.range.start, end: { line: block.range.start.line, character: this.lineLength(block.range.start.line) } };
      if (block.error) {
        diagnostics.push({ range, severity: 'error', code: 'pem-invalid-block', message: `${block.label || 'PEM'} block: ${block.error}` });
        continue;
      }
      for (const problem of block.object?.problems ?? []) {
        diagnostics.push({ range, severity: problem.severity, code: problem.code, message: problem.message });
      }
      const cert = block.object;
      // The description's expiry finding and the rules judge by the same function and window.
      const status = cert?.kind === 'certificate' ? expiryStatus(cert, at, warningDays) : undefined;
      if (cert?.kind === 'certificate' && status && status !== 'ok') {
        const message = `${titleOfBlock(block)}: ${expiryPhrase(cert, at)}`;
        diagnostics.push({ range, severity: status === 'expiring' ? 'warning' : 'error', code: EXPIRY_CODES[status], message });
      }
    }
    return diagnostics;
  }

  private lineLength(line: number): number {
    const start = this.lineIndex.offsetAt({ line, character: 0 });
    const next = line + 1 < this.lineIndex.lineCount ? this.lineIndex.offsetAt({ line: line + 1, character: 0 }) : this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$|\r$/, '').length;
  }
}
