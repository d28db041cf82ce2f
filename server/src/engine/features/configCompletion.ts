import { posix } from 'node:path';
import type { Node, Scalar } from 'yaml';
import { isScalar } from 'yaml';
import { CERTIFICATE_ROLES, FLAG_TABLE, KEY_ROLES, Role } from '../kube/flagTable';
import { readYamlDocument } from '../kube/kinds';
import { guessNodeRoot } from '../kube/nodePaths';
import { parseYamlFile } from '../kube/yamlFile';
import { LineIndex, Position, Range } from '../text/lineIndex';

export interface EngineCompletion {
  label: string;
  detail: string;
  documentation?: string;
  /** Replaces this range with `newText`. */
  range: Range;
  newText: string;
  /** flag: a flag or key name; value: a value of a key (an openssl keyUsage's). */
  kind: 'flag' | 'file' | 'value';
}

const FILE_KINDS: Array<[(role: Role) => boolean, RegExp]> = [
  [(r) => CERTIFICATE_ROLES.has(r), /\.(crt|pem|cer)$/],
  [(r) => KEY_ROLES.has(r), /\.key$/],
  [(r) => r === 'sa-public-key', /\.(pub|crt|pem|key)$/],
  [(r) => r === 'kubeconfig', /(\.conf|\.kubeconfig|\/kubeconfig|\/config)$/],
  [(r) => r === 'config', /\.ya?ml$/],
];

/**
 * Completion where a document writes flags (a static pod's command/args): flag names of the
 * component (from the flag table, with their role), and after `--flag=` the
 * workspace files of the right kind, written as node paths.
 */
export function completeConfig(text: string, path: string, position: Position, files: readonly string[], boundary: string): EngineCompletion[] {
  const lineIndex = new LineIndex(text);
  const offset = lineIndex.offsetAt(position);
  const yaml = parseYamlFile(text, lineIndex);
  for (const doc of yaml.documents) {
    // The document's kind says where it writes flags (a static pod: its containers' command and args).
    const read = readYamlDocument(yaml, doc, path);
    for (const site of read?.kind.flagSites?.(doc.contents, read.document) ?? []) {
      for (const item of site.items) {
        if (!isScalar(item) || !item.range || offset < item.range[0] || offset > item.range[1]) continue;
        return completeItem(item as Scalar & Node, lineIndex, offset, site.component, path, files, boundary);
      }
    }
  }
  return [];
}

function completeItem(
  item: Scalar & Node,
  lineIndex: LineIndex,
  offset: number,
  component: string,
  path: string,
  files: readonly string[],
  boundary: string,
): EngineCompletion[] {
  const start = item.range![0];
  const typed = lineIndex.text.slice(start, offset);
  if (!typed.startsWith('--')) return [];
  const eq = typed.indexOf('=');
  if (eq < 0) {
    const range = { start: lineIndex.positionAt(start), end: lineIndex.positionAt(item.range![1]) };
    return FLAG_TABLE.filter((f) => f.component === component && f.name.startsWith('--') && f.name.startsWith(typed)).map((f) => ({
      label: f.name,
      detail: f.role === 'setting' ? f.description : `${f.role}: ${f.description}`,
      range,
      newText: `${f.name}=`,
      kind: 'flag' as const,
    }));
  }
  const flag = FLAG_TABLE.find((f) => f.component === component && f.name === typed.slice(0, eq));
  const kind = flag ? FILE_KINDS.find(([accepts]) => accepts(flag.role))?.[1] : undefined;
  if (!flag || !kind) return [];
  const root = guessNodeRoot(path, boundary);
  const range = { start: lineIndex.positionAt(start + eq + 1), end: lineIndex.positionAt(item.range![1]) };
  return files
    .filter((f) => kind.test(f) && (f === root || f.startsWith(`${root}/`)))
    .map((f) => `/${posix.relative(root, f)}`)
    .sort()
    .map((nodePath) => ({ label: nodePath, detail: `${flag.role} for ${flag.name}`, range, newText: nodePath, kind: 'file' as const }));
}
