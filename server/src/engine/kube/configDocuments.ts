import type { Document, Node } from 'yaml';
import type { Range } from '../text/lineIndex';
import { Component, FlagSpec, envSpec, flagSpec } from './flagTable';
import type { OpensslConfig } from './opensslConfig';
import { ContainerMounts, Reference, VolumeMount } from './reference';
import { YamlFile, mapGet, mapGetPath, rangeOfNode, scalarString, seqItems, subRange } from './yamlFile';

/** What a YAML document is, recognised by content (never by file name). */
export type ConfigDocument =
  | { kind: 'static-pod'; component: Component; references: Reference[]; container: ContainerMounts }
  /** An openssl config whose profiles issue Kubernetes certificates (the seeds, the hard way's ca.conf). */
  | { kind: 'openssl-config'; config: OpensslConfig }
  /** A systemd unit running a component on the host (no container: paths are host paths). */
  | { kind: 'systemd-unit'; component: Component; references: Reference[] }
  | { kind: 'kubeconfig'; references: Reference[]; kubeconfig: KubeconfigModel }
  | { kind: 'kubelet-config'; references: Reference[]; clusterDomain?: string }
  | { kind: 'component-config'; component: Component; references: Reference[] }
  | { kind: 'kubeadm-config'; references: Reference[]; certSANs: Array<{ value: string; range: Range }>; dnsDomain?: string; serviceSubnet?: string }
  | { kind: 'other' };

export interface NamedEntry {
  name: string;
  range: Range;
}

export interface KubeconfigModel {
  clusters: NamedEntry[];
  users: NamedEntry[];
  contexts: Array<NamedEntry & { cluster?: string; clusterRange?: Range; user?: string; userRange?: Range }>;
  currentContext?: { name: string; range: Range };
}

const STATIC_POD_COMPONENTS: Component[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];

/** Classifies and extracts one document of a YAML file. */
export function readConfigDocument(file: YamlFile, doc: Document.Parsed, path: string): ConfigDocument {
  const root = doc.contents;
  const kind = scalarString(mapGet(root, 'kind'));
  const apiVersion = scalarString(mapGet(root, 'apiVersion')) ?? '';
  if (kind === 'Config' || (kind === undefined && mapGet(root, 'clusters') && mapGet(root, 'users'))) {
    return readKubeconfig(file, root, path);
  }
  if (kind === 'KubeletConfiguration' || apiVersion.startsWith('kubelet.config.k8s.io')) {
    return { kind: 'kubelet-config', references: fieldReferences(file, root, path, 'kubelet', ['tlsCertFile', 'tlsPrivateKeyFile', 'authentication.x509.clientCAFile']), clusterDomain: scalarString(mapGet(root, 'clusterDomain')) };
  }
  if (kind === 'KubeProxyConfiguration') {
    return { kind: 'component-config', component: 'kube-proxy', references: fieldReferences(file, root, path, 'kube-proxy', ['clientConnection.kubeconfig']) };
  }
  if (kind === 'KubeSchedulerConfiguration') {
    return { kind: 'component-config', component: 'kube-scheduler', references: fieldReferences(file, root, path, 'kube-scheduler', ['clientConnection.kubeconfig']) };
  }
  if ((kind === 'ClusterConfiguration' || kind === 'InitConfiguration') && apiVersion.startsWith('kubeadm.k8s.io')) {
    const sans = seqItems(mapGetPath(root, ['apiServer', 'certSANs'])).flatMap((n) => {
      const value = scalarString(n);
      const range = rangeOfNode(file, n);
      return value && range ? [{ value, range }] : [];
    });
    return { kind: 'kubeadm-config', references: fieldReferences(file, root, path, 'kubeadm', ['certificatesDir']), certSANs: sans, dnsDomain: scalarString(mapGetPath(root, ['networking', 'dnsDomain'])), serviceSubnet: scalarString(mapGetPath(root, ['networking', 'serviceSubnet'])) };
  }
  if (kind === 'Pod') {
    const pod = readStaticPod(file, root, path);
    if (pod) return pod;
  }
  return { kind: 'other' };
}

function fieldReferences(file: YamlFile, root: unknown, path: string, component: Component, fields: string[]): Reference[] {
  return fields.flatMap((field) => {
    const node = mapGetPath(root, field.split('.'));
    const spec = flagSpec(component, field);
    return spec ? valueReference(file, node, path, spec) : [];
  });
}

function valueReference(file: YamlFile, node: Node | undefined, path: string, spec: FlagSpec, extra: Partial<Reference> = {}): Reference[] {
  const value = scalarString(node);
  const range = rangeOfNode(file, node);
  if (value === undefined || value === '' || !range) return [];
  return [{ file: path, component: spec.component, name: spec.name, role: spec.role, spec, value, range, ...extra }];
}

function readKubeconfig(file: YamlFile, root: unknown, path: string): ConfigDocument {
  const references: Reference[] = [];
  const model: KubeconfigModel = { clusters: [], users: [], contexts: [] };
  const entryName = (item: Node) => ({ name: scalarString(mapGet(item, 'name')) ?? '', range: rangeOfNode(file, mapGet(item, 'name') ?? item)! });
  for (const item of seqItems(mapGet(root, 'clusters'))) {
    const entry = entryName(item);
    model.clusters.push(entry);
    const cluster = mapGet(item, 'cluster');
    for (const field of ['certificate-authority', 'certificate-authority-data', 'server', 'tls-server-name', 'insecure-skip-tls-verify']) {
      references.push(...valueReference(file, mapGet(cluster, field), path, flagSpec('kubeconfig', field)!, { owner: entry.name, inline: field.endsWith('-data') }));
    }
  }
  for (const item of seqItems(mapGet(root, 'users'))) {
    const entry = entryName(item);
    model.users.push(entry);
    const user = mapGet(item, 'user');
    for (const field of ['client-certificate', 'client-certificate-data', 'client-key', 'client-key-data']) {
      references.push(...valueReference(file, mapGet(user, field), path, flagSpec('kubeconfig', field)!, { owner: entry.name, inline: field.endsWith('-data') }));
    }
  }
  for (const item of seqItems(mapGet(root, 'contexts'))) {
    const context = mapGet(item, 'context');
    model.contexts.push({
      ...entryName(item),
      cluster: scalarString(mapGet(context, 'cluster')),
      clusterRange: rangeOfNode(file, mapGet(context, 'cluster')),
      user: scalarString(mapGet(context, 'user')),
      userRange: rangeOfNode(file, mapGet(context, 'user')),
    });
  }
  const current = mapGet(root, 'current-context');
  const currentName = scalarString(current);
  const currentRange = rangeOfNode(file, current);
  if (currentName && currentRange) model.currentContext = { name: currentName, range: currentRange };
  return { kind: 'kubeconfig', references, kubeconfig: model };
}

/** Which control-plane component a container runs, from its command (or image when there is no command). */
function componentOf(container: unknown): Component | undefined {
  const command = seqItems(mapGet(container, 'command')).map(scalarString);
  const words = [...command.slice(0, 1), scalarString(mapGet(container, 'image'))].filter((w): w is string => !!w);
  for (const word of words) {
    const base = word.split('/').pop()!.split(':')[0];
    const found = STATIC_POD_COMPONENTS.find((c) => base === c);
    if (found) return found;
  }
  return undefined;
}

function readStaticPod(file: YamlFile, root: unknown, path: string): ConfigDocument | undefined {
  const spec = mapGet(root, 'spec');
  const volumes = new Map<string, string | undefined>();
  for (const volume of seqItems(mapGet(spec, 'volumes'))) {
    const name = scalarString(mapGet(volume, 'name'));
    if (name) volumes.set(name, scalarString(mapGetPath(volume, ['hostPath', 'path'])));
  }
  for (const containerNode of seqItems(mapGet(spec, 'containers'))) {
    const component = componentOf(containerNode);
    if (!component) continue;
    const mounts: VolumeMount[] = seqItems(mapGet(containerNode, 'volumeMounts')).flatMap((m) => {
      const mountPath = scalarString(mapGet(m, 'mountPath'));
      const name = scalarString(mapGet(m, 'name'));
      return mountPath && name ? [{ mountPath, name, hostPath: volumes.get(name) }] : [];
    });
    const container: ContainerMounts = { name: scalarString(mapGet(containerNode, 'name')) ?? component, mounts };
    const references = [
      ...flagReferences(file, [...seqItems(mapGet(containerNode, 'command')), ...seqItems(mapGet(containerNode, 'args'))], path, component, container),
      ...envReferences(file, mapGet(containerNode, 'env'), path, component, container),
    ];
    return { kind: 'static-pod', component, references, container };
  }
  return undefined;
}

/** `--flag=value` and `--flag value` items of a command/args list, and flags inside a `sh -c "..."` string. */
export function flagReferences(file: YamlFile, items: Node[], path: string, component: Component, container?: ContainerMounts): Reference[] {
  const references: Reference[] = [];
  items.forEach((item, i) => {
    const text = scalarString(item);
    if (!text) return;
    if (/\s/.test(text.trim())) {
      references.push(...shellStringReferences(file, item, text, path, component, container));
      return;
    }
    if (!text.startsWith('--')) return;
    const eq = text.indexOf('=');
    const name = eq >= 0 ? text.slice(0, eq) : text;
    const spec = flagSpec(component, name);
    if (!spec) return;
    if (eq >= 0) {
      const value = text.slice(eq + 1);
      const range = subRange(file, item, eq + 1, value.length);
      if (value && range) references.push({ file: path, component, name, role: spec.role, spec, value, range, container });
      return;
    }
    const next = items[i + 1];
    const value = scalarString(next);
    const range = rangeOfNode(file, next);
    if (value && !value.startsWith('--') && range) references.push({ file: path, component, name, role: spec.role, spec, value, range, container });
  });
  return references;
}

/**
 * Flags inside one string such as `sh -c "kube-apiserver --tls-cert-file=/x ..."`.
 * The string may be folded over several source lines, so each token is found
 * in the scalar's own source text (from the node's range) to get its position.
 */
function shellStringReferences(file: YamlFile, node: Node, text: string, path: string, component: Component, container?: ContainerMounts): Reference[] {
  if (!node.range || !text.includes('--')) return [];
  const sourceStart = node.range[0];
  const source = file.text.slice(sourceStart, node.range[1]);
  const tokens = text.split(/\s+/).filter(Boolean);
  const references: Reference[] = [];
  let cursor = 0;
  tokens.forEach((token, i) => {
    const at = source.indexOf(token, cursor);
    if (at >= 0) cursor = at + token.length;
    if (!token.startsWith('--')) return;
    const eq = token.indexOf('=');
    const name = eq >= 0 ? token.slice(0, eq) : token;
    const spec = flagSpec(component, name);
    if (!spec || at < 0) return;
    let value = eq >= 0 ? token.slice(eq + 1) : tokens[i + 1] ?? '';
    let start = eq >= 0 ? sourceStart + at + eq + 1 : sourceStart + source.indexOf(value, cursor);
    value = value.replace(/^["']|["';]$/g, '');
    if (eq >= 0 && token[eq + 1] && /["']/.test(token[eq + 1])) start += 1;
    if (!value || value.startsWith('--') || start < sourceStart) return;
    references.push({ file: path, component, name, role: spec.role, spec, value, range: file.lineIndex.rangeOf({ start, end: start + value.length }), container });
  });
  return references;
}

function envReferences(file: YamlFile, env: Node | undefined, path: string, component: Component, container: ContainerMounts): Reference[] {
  return seqItems(env).flatMap((item) => {
    const name = scalarString(mapGet(item, 'name'));
    const spec = name ? envSpec(component, name) : undefined;
    return spec ? valueReference(file, mapGet(item, 'value'), path, spec, { name: name!, container }) : [];
  });
}

