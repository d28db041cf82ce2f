import type { Node } from 'yaml';
import type { Range } from '../../text/lineIndex';
import type { Reference } from '../reference';
import { mapGet, parseYamlFile, scalarString, seqItems, subRange, YamlFile } from '../yamlFile';
import type { TextKind } from './documentKind';

/** k3s's and RKE2's /etc/rancher/<p>/config.yaml (and config.yaml.d/*.yaml): the supervisor's flags as YAML keys. */
export interface RancherConfigDocument {
  kind: 'rancher-config';
  program: string;
  /** tls-san and node-ip values: the supervisor adds each to the serving certificate's SANs. */
  sans: Array<{ key: 'tls-san' | 'node-ip'; value: string; range: Range }>;
  clusterDomain?: string;
  /** service-cidr (`v4,v6` when dual-stack): its first range's first IP is the kubernetes service's, a SAN of the serving certificate. */
  serviceCidr?: string;
  /** node-name: the kubelet's --hostname-override, so its client certificate's CN is system:node:<node-name>. */
  nodeName?: string;
}

/** The program a path is a config file of: /etc/rancher/<p>/config.yaml or /etc/rancher/<p>/config.yaml.d/<name>.yaml. */
export function rancherConfigProgram(path: string): string | undefined {
  for (const p of ['k3s', 'rke2']) {
    const dir = `/etc/rancher/${p}/`;
    const at = path.lastIndexOf(dir);
    if (at < 0) continue;
    const rest = path.slice(at + dir.length);
    if (rest === 'config.yaml' || (rest.startsWith('config.yaml.d/') && rest.endsWith('.yaml') && !rest.slice(14).includes('/'))) return p;
  }
  return undefined;
}

export const rancherConfig: TextKind<RancherConfigDocument> = {
  id: 'rancher-config',
  syntax: 'text',
  // No kind or apiVersion to tell it by: its place says what it is.
  detect: (_text, path) => rancherConfigProgram(path) !== undefined,
  read(text, path) {
    const program = rancherConfigProgram(path);
    const file = parseYamlFile(text);
    const root = file.documents[0]?.contents;
    if (!program || !root) return undefined;
    const sans = (['tls-san', 'node-ip'] as const).flatMap((key) => listValues(file, mapGet(root, key)).map((v) => ({ key, ...v })));
    const clusterDomain = scalarString(mapGet(root, 'cluster-domain'));
    const serviceCidr = scalarString(mapGet(root, 'service-cidr'));
    const nodeName = scalarString(mapGet(root, 'node-name'));
    const document: RancherConfigDocument = {
      kind: 'rancher-config',
      program,
      sans,
      ...(clusterDomain ? { clusterDomain } : {}),
      ...(serviceCidr ? { serviceCidr } : {}),
      ...(nodeName ? { nodeName } : {}),
    };
    return { documents: [document], envReferences: [] };
  },
  addToNode(node, doc, file) {
    for (const san of doc.sans) {
      const at: Reference = {
        file,
        component: 'kube-apiserver',
        name: san.key,
        role: 'setting',
        spec: { component: 'kube-apiserver', name: san.key, role: 'setting', description: `${doc.program} ${san.key}` },
        value: san.value,
        range: san.range,
      };
      const why = `the ${san.key} in ${file.split('/').pop()}`;
      node.certSANs.push({ value: san.value, range: san.range, file, why, at });
    }
    node.dnsDomain ??= doc.clusterDomain;
    node.serviceCidr ??= doc.serviceCidr;
    node.nodeName ??= doc.nodeName?.toLowerCase();
  },
};

/** A list (`- a`), or one string of comma-separated values (`a,b`, as the CLI flag takes them), each with its range. */
function listValues(file: YamlFile, node: Node | undefined): Array<{ value: string; range: Range }> {
  const items = seqItems(node);
  return (items.length > 0 ? items : node ? [node] : []).flatMap((item) => {
    const text = scalarString(item);
    if (!text) return [];
    let from = 0;
    return text.split(',').flatMap((part) => {
      const start = from + (part.length - part.trimStart().length);
      from += part.length + 1;
      const value = part.trim();
      const range = value ? subRange(file, item, start, value.length) : undefined;
      return range ? [{ value, range }] : [];
    });
  });
}
