import { LineIndex, Range } from '../../text/lineIndex';
import type { TextKind } from './documentKind';

export interface OpensslEntry {
  key: string;
  value: string;
  /** The value's range. */
  range: Range;
  /** The key's range. */
  keyRange: Range;
}

export interface OpensslSection {
  name: string;
  /** The `[ name ]` header line. */
  range: Range;
  /** The name inside the brackets. */
  nameRange: Range;
  entries: OpensslEntry[];
}

/** An openssl.cnf / ca.conf: the profiles the seeds and the hard way sign Kubernetes certificates from. */
export interface OpensslConfig {
  sections: OpensslSection[];
  /** The file pulls in others (`.include`): sections it names may be there. */
  includes: boolean;
}

// Blanks are [ \t] (not \s, which crosses lines and made /^\s*x/m quadratic in blank lines).
const REQ_SECTION = /^[ \t]*\[[ \t]*req[ \t]*\][ \t]*\r?$/m;
const REQ_KEY = /^[ \t]*(distinguished_name|req_extensions|x509_extensions)[ \t]*=/m;
const SECTION_HEADER = /^(\s*\[\s*)([^\]\s]+)\s*\]/;
const INCLUDE = /^[ \t]*\.include\b/;
/**
 * `key = value # comment`. The value starts at a non-blank (so the blanks after `=` have one owner)
 * and is trimmed by hand: a lazy `(.*?)\s*$` retried a blank tail at every offset.
 */
const ENTRY = /^(\s*)([A-Za-z0-9_.$-]+)(\s*=\s*)([^#\s][^#\r]*)?(#.*)?\r?$/;

/** An openssl config whose profiles issue Kubernetes certificates (the seeds, the hard way's ca.conf). */
export interface OpensslConfigDocument {
  kind: 'openssl-config';
  config: OpensslConfig;
}

export const opensslProfile: TextKind<OpensslConfigDocument> = {
  id: 'openssl-config',
  syntax: 'text',
  detect: looksLikeOpensslConfig,
  read: (text) => ({ documents: [{ kind: 'openssl-config', config: readOpensslConfig(text) }], envReferences: [] }),
  addToNode(node, doc, file) {
    node.opensslConfigs.push({ file, config: doc.config });
  },
};

export function looksLikeOpensslConfig(text: string): boolean {
  return REQ_SECTION.test(text) && REQ_KEY.test(text);
}

/** Reads sections and `key = value` lines (comments after # dropped), keeping each value's range. Line based, as openssl's own parser. */
export function readOpensslConfig(text: string, lineIndex: LineIndex = new LineIndex(text)): OpensslConfig {
  const sections: OpensslSection[] = [];
  const nowhere = lineIndex.rangeOf({ start: 0, end: 0 });
  let current: OpensslSection = { name: 'default', range: nowhere, nameRange: nowhere, entries: [] };
  sections.push(current);
  let offset = 0;
  let includes = false;
  for (const line of text.split('\n')) {
    const header = SECTION_HEADER.exec(line);
    const entry = ENTRY.exec(line);
    if (header) {
      const nameStart = offset + header[1].length;
      current = {
        name: header[2],
        range: lineIndex.rangeOf({ start: offset, end: offset + line.replace(/\r$/, '').length }),
        nameRange: lineIndex.rangeOf({ start: nameStart, end: nameStart + header[2].length }),
        entries: [],
      };
      sections.push(current);
    } else if (entry?.[4]) {
      const value = entry[4].trimEnd();
      const keyStart = offset + entry[1].length;
      const start = keyStart + entry[2].length + entry[3].length;
      const keyRange = lineIndex.rangeOf({ start: keyStart, end: keyStart + entry[2].length });
      current.entries.push({ key: entry[2], value, range: lineIndex.rangeOf({ start, end: start + value.length }), keyRange });
    }
    if (INCLUDE.test(line)) includes = true;
    offset += line.length + 1;
  }
  return { sections, includes };
}
