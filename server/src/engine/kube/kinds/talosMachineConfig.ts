import type { Node } from 'yaml';
import type { Range } from '../../text/lineIndex';
import { flagSpec } from '../flagTable';
import type { Reference } from '../reference';
import { mapGet, mapGetPath, rangeOfNode, scalarString, seqItems, YamlFile } from '../yamlFile';
import type { YamlKind } from './documentKind';
import { valueReference } from './yamlReferences';

/**
 * A Talos machine configuration (controlplane.yaml, worker.yaml; the v1alpha1
 * document of a multi-document file): every CA and key inline as base64 of
 * PEM. Talos generates the Talos API (apid, trustd) serving certificates at
 * runtime from machine.ca, with machine.certSANs and the node's own addresses.
 */
export interface TalosMachineConfigDocument {
  kind: 'talos-machine-config';
  references: Reference[];
  /** machine.type: controlplane (or init) serves the Talos API for talosctl; a worker's machine.ca has no key. */
  machineType?: string;
  hostname?: string;
  certSANs: Array<{ value: string; range: Range }>;
  /** cluster.controlPlane.endpoint, as a setting reference (its host is checked against certSANs). */
  endpoint?: Reference;
  /** machine.features.rbac: true makes the Talos API authorize clients by the roles in their certificate's O (absent = off). */
  rbac: boolean;
}

/** The crt/key fields of the v1alpha1 document, by their dotted names in the flag table. */
const PAIRS = ['machine.ca', 'cluster.ca', 'cluster.aggregatorCA', 'cluster.etcd.ca'];

export const talosMachineConfig: YamlKind<TalosMachineConfigDocument> = {
  id: 'talos-machine-config',
  syntax: 'yaml',
  // No kind/apiVersion: `version: v1alpha1` with machine: or cluster: is Talos's own shape.
  detect: ({ kind, root }) =>
    kind === undefined && scalarString(mapGet(root, 'version')) === 'v1alpha1' && !!(mapGet(root, 'machine') || mapGet(root, 'cluster')),
  triggers: { kinds: {}, strings: ['v1alpha1'] },
  read: readMachineConfig,
  addToNode(node, doc, file) {
    node.talosMachineConfigs.push({ file, document: doc });
  },
};

function field(file: YamlFile, root: unknown, path: string, name: string, node: Node | undefined = mapGetPath(root, name.split('.'))): Reference[] {
  return valueReference(file, node, path, flagSpec('talos', name)!, { inline: name !== 'cluster.controlPlane.endpoint' });
}

function readMachineConfig(file: YamlFile, root: unknown, path: string): TalosMachineConfigDocument {
  const references = PAIRS.flatMap((pair) => [...field(file, root, path, `${pair}.crt`), ...field(file, root, path, `${pair}.key`)]);
  references.push(...field(file, root, path, 'cluster.serviceAccount.key'));
  for (const accepted of seqItems(mapGetPath(root, ['machine', 'acceptedCAs']))) {
    references.push(...field(file, root, path, 'machine.acceptedCAs.crt', mapGet(accepted, 'crt')));
  }
  const [endpoint] = field(file, root, path, 'cluster.controlPlane.endpoint');
  const certSANs = seqItems(mapGetPath(root, ['machine', 'certSANs'])).flatMap((n) => {
    const value = scalarString(n);
    const range = rangeOfNode(file, n);
    return value && range ? [{ value, range }] : [];
  });
  return {
    kind: 'talos-machine-config',
    references: endpoint ? [...references, endpoint] : references,
    machineType: scalarString(mapGetPath(root, ['machine', 'type'])),
    hostname: scalarString(mapGetPath(root, ['machine', 'network', 'hostname'])),
    certSANs,
    endpoint,
    rbac: scalarString(mapGetPath(root, ['machine', 'features', 'rbac'])) === 'true',
  };
}
