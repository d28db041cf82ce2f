import { isUnsafeCharacter } from '../text/displayText';
import { LineIndex, Range, Span } from '../text/lineIndex';

/**
 * One PEM block as found in a text (RFC 7468), with exact source positions.
 * A block is kept even when it is malformed: `error` says why, so an editor
 * can put the diagnostic on the block instead of failing the whole file.
 */
export interface PemBlock {
  /** Zero-based position of the block among the blocks of the text. */
  index: number;
  /** The label between BEGIN and the dashes, e.g. "CERTIFICATE". */
  label: string;
  /** From the first dash of the BEGIN line to the last dash of the END line (or to the end of the text when END is missing). */
  span: Span;
  range: Range;
  /** The base64 body (without RFC 1421 headers). */
  bodySpan: Span;
  /** RFC 1421 headers such as Proc-Type and DEK-Info (legacy encrypted keys). */
  headers: Record<string, string>;
  /** Decoded body; absent when the block is malformed. */
  der?: Uint8Array;
  /** Why the block cannot be decoded. */
  error?: string;
}

// Labels are printable ASCII without '-' at either end (RFC 7468 section 3).
const BEGIN_LINE = /^[ \t]*-----BEGIN ([\x21-\x2C\x2E-\x7E](?:[\x20-\x7E]*[\x21-\x2C\x2E-\x7E])?)?-----[ \t]*$/;
const END_LINE = /^[ \t]*-----END ([\x21-\x2C\x2E-\x7E](?:[\x20-\x7E]*[\x21-\x2C\x2E-\x7E])?)?-----[ \t]*$/;
// The value is trimmed by hand: a lazy `(.*?)[ \t]*$` retried a blank tail at every offset (quadratic).
const HEADER_LINE = /^[ \t]*([A-Za-z0-9-]+):(.*)$/;
const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;

interface Line {
  text: string;
  start: number;
  end: number; // offset after the last character, before the line break
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : -1;
    if (c === 10 || c === 13 || c === -1) {
      lines.push({ text: text.slice(start, i), start, end: i });
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  return lines;
}

/** Without the spaces and tabs at either end. */
function trimBlanks(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === ' ' || text[start] === '\t')) start++;
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return text.slice(start, end);
}

/** True when the text holds at least one PEM BEGIN line: cheap pre-check before a full scan. */
export function looksLikePem(text: string): boolean {
  return text.includes('-----BEGIN ');
}

/** What lies between a BEGIN line and its END line (or the next BEGIN, or the end of the text). */
interface BlockBody {
  headers: Record<string, string>;
  body: string;
  bodySpan?: Span;
  spanEnd: number;
  /** The line after the block. */
  next: number;
  closed: boolean;
  error?: string;
}

/** Reads a block's headers and base64 lines from `first` (the line after BEGIN) on. */
function readBlockBody(lines: Line[], first: number, label: string, beginEnd: number): BlockBody {
  const result: BlockBody = { headers: {}, body: '', spanEnd: beginEnd, next: first, closed: false };
  const bodyParts: string[] = [];
  let inHeaders = true;
  let j = first;
  for (; j < lines.length; j++) {
    const line = lines[j];
    const trimmed = line.text.trim();
    if (BEGIN_LINE.test(line.text)) break; // a new block starts before this one ended
    const end = END_LINE.exec(line.text);
    if (end) {
      result.spanEnd = line.start + line.text.lastIndexOf('-----') + 5;
      result.closed = true;
      if ((end[1] ?? '') !== label) result.error = `END label "${end[1] ?? ''}" does not match BEGIN label "${label}" (line ${j + 1})`;
      j++;
      break;
    }
    result.spanEnd = line.end;
    if (inHeaders) {
      const header = HEADER_LINE.exec(line.text);
      if (header && !BASE64_CHARS.test(trimmed)) {
        result.headers[header[1]] = trimBlanks(header[2]);
        continue;
      }
      inHeaders = false;
      if (trimmed === '' && Object.keys(result.headers).length > 0) continue; // blank line after headers
    }
    if (trimmed === '') continue;
    if (!BASE64_CHARS.test(trimmed) && !result.error) {
      const bad = [...trimmed].find((ch) => !/[A-Za-z0-9+/=]/.test(ch)) ?? trimmed;
      result.error = `invalid base64 on line ${j + 1}: unexpected ${describeChar(bad)}`;
    }
    const at = line.start + line.text.indexOf(trimmed);
    result.bodySpan = { start: result.bodySpan?.start ?? at, end: at + trimmed.length };
    bodyParts.push(trimmed);
  }
  result.next = j;
  result.body = bodyParts.join('');
  if (!result.closed && !result.error) result.error = `missing "-----END ${label}-----" line`;
  return result;
}

/** Why a complete body cannot be base64 of DER, if it cannot. */
function bodyError(body: string): string | undefined {
  if (body.length === 0) return 'the block has no base64 body';
  if (/=[^=]/.test(body)) return 'invalid base64: padding "=" in the middle of the body';
  if (body.length % 4 !== 0) return `truncated base64: ${body.length} characters is not a multiple of 4`;
  return undefined;
}

/**
 * Finds every PEM block in a text. Tolerates CRLF, text before, between and
 * after blocks, and indentation (a PEM inside a YAML block scalar).
 */
export function scanPem(text: string, lineIndex: LineIndex = new LineIndex(text)): PemBlock[] {
  const lines = splitLines(text);
  const blocks: PemBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const begin = BEGIN_LINE.exec(lines[i].text);
    if (!begin) {
      i++;
      continue;
    }
    const label = begin[1] ?? '';
    const beginLine = lines[i];
    const spanStart = beginLine.start + beginLine.text.indexOf('-----BEGIN');
    const read = readBlockBody(lines, i + 1, label, beginLine.end);
    const error = read.error ?? bodyError(read.body);
    const span: Span = { start: spanStart, end: read.spanEnd };
    const block: PemBlock = {
      index: blocks.length,
      label,
      span,
      range: lineIndex.rangeOf(span),
      bodySpan: read.bodySpan ?? { start: spanStart, end: spanStart },
      headers: read.headers,
    };
    if (error) block.error = error;
    else block.der = new Uint8Array(Buffer.from(read.body, 'base64'));
    blocks.push(block);
    i = read.closed ? read.next : Math.max(read.next, i + 1);
  }
  return blocks;
}

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  // A C1, bidi or invisible character would act or vanish inside the quotes: name it instead.
  if (isUnsafeCharacter(ch)) return `character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `"${ch}"`;
}
