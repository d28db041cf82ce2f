import { Document, isMap, isScalar, isSeq, Node, Pair, parseAllDocuments, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { LineIndex, Range } from '../text/lineIndex';

/** A YAML file parsed once, with every document and a way to turn node offsets into ranges. */
export interface YamlFile {
  text: string;
  lineIndex: LineIndex;
  documents: Document.Parsed[];
  /** Syntax errors with their ranges: reported, never thrown. */
  errors: Array<{ message: string; range: Range }>;
}

export function parseYamlFile(text: string, lineIndex: LineIndex = new LineIndex(text)): YamlFile {
  // No keepSourceTokens: nothing reads the CST tokens, and keeping them costs time and memory on every file.
  const documents = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false });
  const docs = Array.isArray(documents) ? documents : [];
  const errors = docs.flatMap((doc) =>
    doc.errors.map((e) => ({ message: e.message.split('\n')[0], range: lineIndex.rangeOf({ start: e.pos[0], end: e.pos[1] }) })),
  );
  return { text, lineIndex, documents: docs, errors };
}

export function rangeOfNode(file: YamlFile, node: Node | null | undefined): Range | undefined {
  if (!node?.range) return undefined;
  return file.lineIndex.rangeOf({ start: node.range[0], end: node.range[1] });
}

/** A child of a map by key (string keys only), or undefined. */
export function mapGet(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  const pair = (node as YAMLMap).items.find((p: Pair) => isScalar(p.key) && String((p.key as Scalar).value) === key);
  return (pair?.value ?? undefined) as Node | undefined;
}

/** The key node of a map's entry (string keys only): where a finding about the entry as a whole goes. */
export function mapKey(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  return (node as YAMLMap).items.find((p: Pair) => isScalar(p.key) && String((p.key as Scalar).value) === key)?.key as Node | undefined;
}

export function mapGetPath(node: unknown, path: string[]): Node | undefined {
  let current: unknown = node;
  for (const key of path) current = mapGet(current, key);
  return current as Node | undefined;
}

/** A scalar's string value (numbers and booleans as written), or undefined for non-scalars. */
export function scalarString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = (node as Scalar).value;
  if (value === null || value === undefined) return undefined;
  return String(value);
}

export function seqItems(node: unknown): Node[] {
  return isSeq(node) ? ((node as YAMLSeq).items as Node[]) : [];
}

/**
 * Offset where a substring of a scalar's value starts in the source, so a
 * diagnostic lands on "/etc/kubernetes/pki/apiserver.crt" inside
 * "--tls-cert-file=/etc/...". Plain scalars map one to one; quoted ones are
 * shifted by the quote (escapes inside are rare in paths and are clamped).
 */
export function subRange(file: YamlFile, node: Node, from: number, length: number): Range | undefined {
  if (!node.range) return undefined;
  const scalar = node as Scalar;
  const quoted = scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE';
  const start = Math.min(node.range[0] + (quoted ? 1 : 0) + from, node.range[1]);
  const end = Math.min(start + length, node.range[1]);
  return file.lineIndex.rangeOf({ start, end });
}
