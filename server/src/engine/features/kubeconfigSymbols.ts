import { readYamlDocument } from '../kube/kinds';
import { parseYamlFile } from '../kube/yamlFile';
import { displayText } from '../text/displayText';
import type { Range } from '../text/lineIndex';
import { objectSymbols } from './objectSymbols';

export interface OutlineSymbol {
  name: string;
  detail: string;
  kind: 'namespace' | 'object' | 'key' | 'string';
  range: Range;
  selectionRange: Range;
  children: OutlineSymbol[];
}

/** Outline of a kubeconfig: clusters, users and contexts, each entry by name (what `kubectl config get-*` lists); and of a manifest's API objects. */
export function kubeconfigSymbols(text: string, path: string): OutlineSymbol[] {
  const yaml = parseYamlFile(text);
  const symbols: OutlineSymbol[] = [];
  for (const doc of yaml.documents) {
    const config = readYamlDocument(yaml, doc, path)?.document;
    if (config?.kind === 'apiObjects') symbols.push(...objectSymbols(config.objects));
    if (config?.kind !== 'kubeconfig') continue;
    const { clusters, users, contexts, currentContext } = config.kubeconfig;
    const group = (name: string, entries: Array<{ name: string; range: Range; detail: string }>, kind: OutlineSymbol['kind']): OutlineSymbol | undefined => {
      if (entries.length === 0) return undefined;
      const children = entries.map((e) => ({
        name: displayText(e.name) || '(unnamed)',
        detail: displayText(e.detail),
        kind,
        range: e.range,
        selectionRange: e.range,
        children: [],
      }));
      return {
        name,
        detail: `${entries.length}`,
        kind: 'namespace',
        range: { start: children[0].range.start, end: children[children.length - 1].range.end },
        selectionRange: children[0].range,
        children,
      };
    };
    // The first server and client certificate of each owner, in one pass: a search per entry was quadratic in entries.
    const servers = new Map<string, string>();
    const certs = new Map<string, string>();
    for (const r of config.references) {
      if (r.owner === undefined) continue;
      if (r.spec.name === 'server' && !servers.has(r.owner)) servers.set(r.owner, r.value);
      if (r.role === 'client-cert' && !certs.has(r.owner)) certs.set(r.owner, r.inline ? 'embedded certificate' : r.value);
    }
    const server = (owner: string) => servers.get(owner) ?? '';
    const auth = (owner: string) => certs.get(owner) ?? '';
    for (const symbol of [
      group(
        'clusters',
        clusters.map((c) => ({ ...c, detail: server(c.name) })),
        'object',
      ),
      group(
        'users',
        users.map((u) => ({ ...u, detail: auth(u.name) })),
        'key',
      ),
      group(
        'contexts',
        contexts.map((c) => ({ ...c, detail: `${c.user ?? '?'}@${c.cluster ?? '?'}${c.name === currentContext?.name ? ' (current)' : ''}` })),
        'string',
      ),
    ]) {
      if (symbol) symbols.push(symbol);
    }
  }
  return symbols;
}
