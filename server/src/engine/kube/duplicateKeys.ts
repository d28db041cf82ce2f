import { Document, isScalar, Node, visit } from 'yaml';
import type { Range } from '../text/lineIndex';
import { rangeOfNode, YamlFile } from './yamlFile';

/** A key that appears a second (third...) time in one mapping. */
export interface DuplicateKey {
  key: string;
  /** The repeated key's range. */
  range: Range;
  /** One-based line of the key's first appearance. */
  firstLine: number;
}

/**
 * The repeated keys of every mapping in a document, in one pass (a set of keys
 * per mapping). The parse keeps duplicates (uniqueKeys: false): its own check
 * compares every pair of keys, quadratic in a mapping's size.
 */
export function duplicateKeys(file: YamlFile, doc: Document.Parsed): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, Node>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || !pair.key.range) continue;
        const key = String(pair.key.value);
        const first = seen.get(key);
        const range = first && rangeOfNode(file, pair.key);
        if (first?.range && range) found.push({ key, range, firstLine: file.lineIndex.positionAt(first.range[0]).line + 1 });
        else if (!first) seen.set(key, pair.key);
      }
    },
  });
  return found;
}
