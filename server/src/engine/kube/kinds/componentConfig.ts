import type { Component } from '../flagTable';
import type { Reference } from '../reference';
import { mapGet, scalarString } from '../yamlFile';
import type { YamlKind } from './documentKind';
import { fieldReferences } from './yamlReferences';

/** A component's own configuration file (kube-proxy, kube-scheduler): the kubeconfig it connects with. */
export interface ComponentConfigDocument {
  kind: 'component-config';
  component: Component;
  references: Reference[];
}

/** The `kind` of each component's configuration, and the component that reads it. */
const COMPONENT_OF_KIND: ReadonlyMap<string, Component> = new Map([
  ['KubeProxyConfiguration', 'kube-proxy'],
  ['KubeSchedulerConfiguration', 'kube-scheduler'],
]);

export const componentConfig: YamlKind<ComponentConfigDocument> = {
  id: 'component-config',
  syntax: 'yaml',
  detect: ({ kind }) => kind !== undefined && COMPONENT_OF_KIND.has(kind),
  triggers: { kinds: Object.fromEntries([...COMPONENT_OF_KIND.keys()].map((k) => [k, []])), strings: [] },
  read(file, root, path) {
    const component = COMPONENT_OF_KIND.get(scalarString(mapGet(root, 'kind')) ?? '');
    return component && { kind: 'component-config', component, references: fieldReferences(file, root, path, component, ['clientConnection.kubeconfig']) };
  },
  addToNode(node, doc) {
    node.componentConfigs.push(...doc.references);
  },
};
