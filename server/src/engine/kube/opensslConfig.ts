import { LineIndex, Range } from '../text/lineIndex';

export interface OpensslEntry {
  key: string;
  value: string;
  /** The value's range. */
  range: Range;
}

export interface OpensslSection {
  name: string;
  /** The `[ name ]` header line. */
  range: Range;
  entries: OpensslEntry[];
}

/** An openssl.cnf / ca.conf: the profiles the seeds and the hard way sign Kubernetes certificates from. */
export interface OpensslConfig {
  sections: OpensslSection[];
}

export function looksLikeOpensslConfig(text: string): boolean {
  return /^\s*\[\s*req\s*\]\s*$/m.test(text) && /^\s*(distinguished_name|req_extensions|x509_extensions)\s*=/m.test(text);
}

/** Reads sections and `key = value` lines (comments after # dropped), keeping each value's range. Line based, as openssl's own parser. */
export function readOpensslConfig(text: string, lineIndex: LineIndex = new LineIndex(text)): OpensslConfig {
  const sections: OpensslSection[] = [];
  let current: OpensslSection = { name: 'default', range: lineIndex.rangeOf({ start: 0, end: 0 }), entries: [] };
  sections.push(current);
  let offset = 0;
  for (const line of text.split('\n')) {
    const header = /^\s*\[\s*([^\]\s]+)\s*\]/.exec(line);
    const entry = /^(\s*)([A-Za-z0-9_.$-]+)(\s*=\s*)([^#\r]*?)\s*(#.*)?\r?$/.exec(line);
    if (header) {
      current = { name: header[1], range: lineIndex.rangeOf({ start: offset, end: offset + line.replace(/\r$/, '').length }), entries: [] };
      sections.push(current);
    } else if (entry && entry[4] !== '') {
      const start = offset + entry[1].length + entry[2].length + entry[3].length;
      current.entries.push({ key: entry[2], value: entry[4], range: lineIndex.rangeOf({ start, end: start + entry[4].length }) });
    }
    offset += line.length + 1;
  }
  return { sections };
}
