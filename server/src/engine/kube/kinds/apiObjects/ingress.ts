import { isSeq, type Node } from 'yaml';
import { mapGet, rangeOfNode, scalarString, seqItems, type YamlFile } from '../../yamlFile';
import type { NamedValue, TlsTermination } from './model';
import type { ObjectReading } from './values';

/** A scalar's string with its range, when written. */
export function namedValue(file: YamlFile, node: Node | undefined): NamedValue | undefined {
  const value = scalarString(node);
  const range = rangeOfNode(file, node);
  return value !== undefined && value.trim() !== '' && range ? { value, range } : undefined;
}

/** Ingress (networking.k8s.io): spec.tls[] {hosts, secretName} and spec.rules[].host. */
export function readIngress(reading: ObjectReading, root: unknown): void {
  const spec = mapGet(root, 'spec');
  const named = (node: Node | undefined) => namedValue(reading.file, node);
  const terminations = seqItems(mapGet(spec, 'tls')).map((entry, i) => {
    const secretName = named(mapGet(entry, 'secretName'));
    const addHost = hostInsertion(reading.file, mapGet(entry, 'hosts'));
    return {
      field: `spec.tls[${i}]`,
      hosts: seqItems(mapGet(entry, 'hosts')).flatMap((h) => named(h) ?? []),
      secrets: secretName ? [{ name: secretName }] : [],
      ...(addHost ? { addHost } : {}),
    };
  });
  const ruleHosts = seqItems(mapGet(spec, 'rules')).flatMap((rule) => named(mapGet(rule, 'host')) ?? []);
  if (terminations.length > 0 || ruleHosts.length > 0) reading.object.frontend = { terminations, ruleHosts };
}

/** After the last host of a list: `, ` in a flow list, a new `- ` line at the list's column in a block one. */
function hostInsertion(file: YamlFile, hosts: Node | undefined): TlsTermination['addHost'] {
  const items = seqItems(hosts);
  const list = rangeOfNode(file, hosts);
  const last = rangeOfNode(file, items[items.length - 1]);
  if (!isSeq(hosts) || !list || !last) return undefined;
  const prefix = hosts.flow ? ', ' : `\n${' '.repeat(list.start.character)}- `;
  return { at: { start: last.end, end: last.end }, prefix };
}
