import { isMap } from 'yaml';
import { flagSpec } from '../flagTable';
import type { Reference } from '../reference';
import { mapGet, scalarString, seqItems, YamlFile } from '../yamlFile';
import type { YamlKind } from './documentKind';
import { valueReference } from './yamlReferences';

/** talosctl's client configuration: contexts by name, each with endpoints, nodes and an inline CA, client cert and key. */
export interface TalosconfigDocument {
  kind: 'talosconfig';
  /** ca, crt and key of every context (owner: the context's name), then its endpoints (settings). */
  references: Reference[];
  contexts: Array<{ name: string; endpoints: Reference[] }>;
}

export const talosconfig: YamlKind<TalosconfigDocument> = {
  id: 'talosconfig',
  syntax: 'yaml',
  // A kubeconfig's contexts are a list; a talosconfig's are a mapping by name.
  detect: ({ kind, root }) => kind === undefined && isMap(mapGet(root, 'contexts')) && !mapGet(root, 'clusters'),
  triggers: { kinds: {}, strings: ['contexts'] },
  read: readTalosconfig,
  addToNode(node, doc, file) {
    node.talosconfigs.push({ file, document: doc });
  },
};

function readTalosconfig(file: YamlFile, root: unknown, path: string): TalosconfigDocument {
  const references: Reference[] = [];
  const contexts: TalosconfigDocument['contexts'] = [];
  const map = mapGet(root, 'contexts');
  for (const pair of isMap(map) ? map.items : []) {
    const name = scalarString(pair.key);
    if (name === undefined) continue;
    for (const fieldName of ['ca', 'crt', 'key']) {
      references.push(...valueReference(file, mapGet(pair.value, fieldName), path, flagSpec('talosconfig', fieldName)!, { owner: name, inline: true }));
    }
    const endpoints = seqItems(mapGet(pair.value, 'endpoints')).flatMap((n) =>
      valueReference(file, n, path, flagSpec('talosconfig', 'endpoints')!, { owner: name }),
    );
    references.push(...endpoints);
    contexts.push({ name, endpoints });
  }
  return { kind: 'talosconfig', references, contexts };
}
