import { readConfigDocument } from '../kube/configDocuments';
import { parseYamlFile } from '../kube/yamlFile';
import type { Range } from '../text/lineIndex';
import { displayText } from '../text/displayText';

export interface OutlineSymbol {
  name: string;
  detail: string;
  kind: 'namespace' | 'object' | 'key' | 'string';
  range: Range;
  selectionRange: Range;
  children: OutlineSymbol[];
}

/** Outline of a kubeconfig: clusters, users and contexts, each entry by name (what `kubectl config get-*` lists). */
export function kubeconfigSymbols(text: string, path: string): OutlineSymbol[] {
  const yaml = parseYamlFile(text);
  const symbols: OutlineSymbol[] = [];
  for (const doc of yaml.documents) {
    const config = readConfigDocument(yaml, doc, path);
    if (config.kind !== 'kubeconfig') continue;
    const { clusters, users, contexts, currentContext } = config.kubeconfig;
    const group = (name: string, entries: Array<{ name: string; range: Range; detail: string }>, kind: OutlineSymbol['kind']): OutlineSymbol | undefined => {
      if (entries.length === 0) return undefined;
      const children = entries.map((e) => ({ name: displayText(e.name) || '(unnamed)', detail: displayText(e.detail), kind, range: e.range, selectionRange: e.range, children: [] }));
      return { name, detail: `${entries.length}`, kind: 'namespace', range: { start: children[0].range.start, end: children[children.length - 1].range.end }, selectionRange: children[0].range, children };
    };
    const server = (owner: string) => config.references.find((r) => r.owner === owner && r.spec.name === 'server')?.value ?? '';
    const auth = (owner: string) => config.references.filter((r) => r.owner === owner && r.role === 'client-cert').map((r) => (r.inline ? 'embedded certificate' : r.value))[0] ?? '';
    for (const symbol of [
      group('clusters', clusters.map((c) => ({ ...c, detail: server(c.name) })), 'object'),
      group('users', users.map((u) => ({ ...u, detail: auth(u.name) })), 'key'),
      group('contexts', contexts.map((c) => ({ ...c, detail: `${c.user ?? '?'}@${c.cluster ?? '?'}${c.name === currentContext?.name ? ' (current)' : ''}` })), 'string'),
    ]) {
      if (symbol) symbols.push(symbol);
    }
  }
  return symbols;
}
