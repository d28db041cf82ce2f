import type { Node } from 'yaml';
import { componentOfCommand } from '../componentCommand';
import { Component, envSpec, flagSpec } from '../flagTable';
import { ContainerMounts, Reference, VolumeMount } from '../reference';
import { mapGet, mapGetPath, rangeOfNode, scalarString, seqItems, subRange, YamlFile } from '../yamlFile';
import type { FlagSite, YamlKind } from './documentKind';
import { valueReference } from './yamlReferences';

/** A static pod manifest running a control-plane component: its flags and env, and the container's mounts that map their paths. */
export interface StaticPodDocument {
  kind: 'static-pod';
  component: Component;
  references: Reference[];
  container: ContainerMounts;
}

const STATIC_POD_COMPONENTS: Component[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];

export const staticPod: YamlKind<StaticPodDocument> = {
  id: 'static-pod',
  syntax: 'yaml',
  detect: ({ kind }) => kind === 'Pod',
  triggers: { kinds: { Pod: [] }, strings: [] },
  read: readStaticPod,
  addToNode(node, doc, file) {
    // Two manifests for one component on one node: the first wins, as the kubelet would refuse a duplicate.
    node.pods[doc.component] ??= { component: doc.component, file, references: doc.references, container: doc.container };
  },
  flagSites: (root, doc): FlagSite[] => [
    // Every container's command and args, with the flags of the pod's component.
    {
      component: doc.component,
      items: seqItems(mapGet(mapGet(root, 'spec'), 'containers')).flatMap((c) => [...seqItems(mapGet(c, 'command')), ...seqItems(mapGet(c, 'args'))]),
    },
  ],
};

/** Which control-plane component a container runs, from its command line (hyperkube's subcommand included), else its image. */
function componentOf(container: unknown): Component | undefined {
  const line = [...seqItems(mapGet(container, 'command')), ...seqItems(mapGet(container, 'args'))].map(scalarString).filter((w): w is string => !!w);
  const image = scalarString(mapGet(container, 'image'))?.split('/').pop()!.split(':')[0];
  return (
    componentOfCommand(shellScript(line) ?? line, STATIC_POD_COMPONENTS) ??
    // An image whose entrypoint is the component; hyperkube's image takes its subcommand first in args.
    (image ? componentOfCommand([image, ...line], STATIC_POD_COMPONENTS) : undefined)
  );
}

/** The words of `sh -c "exec /hyperkube apiserver ..."`: the script is the command line. */
function shellScript(line: string[]): string[] | undefined {
  if (!/^(sh|bash|ash|dash)$/.test(line[0]?.split('/').pop() ?? '') || line[1] !== '-c' || line[2] === undefined) return undefined;
  const words = line[2].split(/[ \t\r\n]+/).filter(Boolean);
  return words[0] === 'exec' ? words.slice(1) : words;
}

function readStaticPod(file: YamlFile, root: unknown, path: string): StaticPodDocument | undefined {
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
function flagReferences(file: YamlFile, items: Node[], path: string, component: Component, container?: ContainerMounts): Reference[] {
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
    let value = eq >= 0 ? token.slice(eq + 1) : (tokens[i + 1] ?? '');
    let start = eq >= 0 ? sourceStart + at + eq + 1 : sourceStart + source.indexOf(value, cursor);
    value = value.replace(/^["']|["';]$/g, '');
    if (eq >= 0 && token[eq + 1] && /["']/.test(token[eq + 1])) start += 1;
    if (!value || value.startsWith('--') || start < sourceStart) return;
    references.push({
      file: path,
      component,
      name,
      role: spec.role,
      spec,
      value,
      range: file.lineIndex.rangeOf({ start, end: start + value.length }),
      container,
    });
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
