import { DecodedBlock, DecodedFile, decodePemText } from '../pki/decode';
import { EXPIRY_WARNING_MS, describeBlock, titleOfBlock } from '../format/describe';
import { expiryPhrase } from '../verify/validity';
import { renderMarkdown } from '../format/markdown';
import { LineIndex, Position, Range } from '../text/lineIndex';
import { displayText } from '../text/displayText';
import { EngineDiagnostic, EngineFoldingRange, EngineHover, EngineSymbol } from './types';

/** A PEM text decoded once; every feature of the document reads from it. */
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

  hover(position: Position, at: Date = new Date()): EngineHover | undefined {
    const block = this.blockAt(position);
    if (!block?.range) return undefined;
    return { markdown: renderMarkdown(describeBlock(block, at)), range: block.range };
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
  diagnostics(at: Date = new Date()): EngineDiagnostic[] {
    const diagnostics: EngineDiagnostic[] = [];
    if (this.decoded.error && this.text.trim() !== '') {
      diagnostics.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: this.lineLength(0) } }, severity: 'warning', code: 'pem-no-block', message: this.decoded.error });
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
      if (cert?.kind === 'certificate' && !Number.isNaN(cert.notAfter.getTime())) {
        // The same thresholds as the description's expiry finding, read from the dates rather than its text.
        const message = `${titleOfBlock(block)}: ${expiryPhrase(cert, at)}`;
        if (at.getTime() > cert.notAfter.getTime()) diagnostics.push({ range, severity: 'error', code: 'cert-expired', message });
        else if (at.getTime() < cert.notBefore.getTime()) diagnostics.push({ range, severity: 'error', code: 'cert-not-yet-valid', message });
        else if (cert.notAfter.getTime() - at.getTime() < EXPIRY_WARNING_MS) diagnostics.push({ range, severity: 'warning', code: 'cert-expiring-soon', message });
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
