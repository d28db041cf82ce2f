import { isMap, isScalar, type Node } from 'yaml';
import type { Range } from '../../text/lineIndex';
import { flagSpec } from '../flagTable';
import type { Reference } from '../reference';
import { mapGet, mapKey, rangeOfNode, scalarString, seqItems, YamlFile } from '../yamlFile';
import type { YamlKind } from './documentKind';
import { valueReference } from './yamlReferences';

/** A kubeconfig (YAML or JSON, as kubectl reads both): its entries, and the files and data its clusters and users name. */
export interface KubeconfigDocument {
  kind: 'kubeconfig';
  references: Reference[];
  kubeconfig: KubeconfigModel;
}

export interface NamedEntry {
  name: string;
  range: Range;
}

/** A user's ways to authenticate that the file sets (non-empty), each with the range of its key. */
export interface KubeconfigUser extends NamedEntry {
  credentials: Array<{ field: CredentialField; range: Range }>;
}

/** client-go's AuthInfo fields that authenticate a user (impersonation and extensions do not). */
export const CREDENTIAL_FIELDS = [
  'client-certificate',
  'client-certificate-data',
  'client-key',
  'client-key-data',
  'token',
  'tokenFile',
  'username',
  'password',
  'exec',
  'auth-provider',
] as const;
export type CredentialField = (typeof CREDENTIAL_FIELDS)[number];

export interface KubeconfigModel {
  clusters: NamedEntry[];
  users: KubeconfigUser[];
  contexts: Array<NamedEntry & { cluster?: string; clusterRange?: Range; user?: string; userRange?: Range }>;
  currentContext?: { name: string; range: Range };
}

export const kubeconfig: YamlKind<KubeconfigDocument> = {
  id: 'kubeconfig',
  syntax: 'yaml',
  // kubectl does not require `kind: Config`: clusters and users are enough.
  detect: ({ kind, root }) => kind === 'Config' || (kind === undefined && !!mapGet(root, 'clusters') && !!mapGet(root, 'users')),
  triggers: { kinds: { Config: [] }, strings: ['clusters'] },
  read: readKubeconfig,
  addToNode(node, doc, file) {
    node.kubeconfigs.push({ file, model: doc.kubeconfig, references: doc.references });
  },
};

function readKubeconfig(file: YamlFile, root: unknown, path: string): KubeconfigDocument {
  const references: Reference[] = [];
  const model: KubeconfigModel = { clusters: [], users: [], contexts: [] };
  const entryName = (item: Node) => ({ name: scalarString(mapGet(item, 'name')) ?? '', range: rangeOfNode(file, mapGet(item, 'name') ?? item)! });
  for (const item of seqItems(mapGet(root, 'clusters'))) {
    const entry = entryName(item);
    model.clusters.push(entry);
    const cluster = mapGet(item, 'cluster');
    for (const field of ['certificate-authority', 'certificate-authority-data', 'server', 'tls-server-name', 'insecure-skip-tls-verify']) {
      references.push(
        ...valueReference(file, mapGet(cluster, field), path, flagSpec('kubeconfig', field)!, { owner: entry.name, inline: field.endsWith('-data') }),
      );
    }
  }
  for (const item of seqItems(mapGet(root, 'users'))) {
    const entry = entryName(item);
    const user = mapGet(item, 'user');
    model.users.push({ ...entry, credentials: credentialsOf(file, user) });
    for (const field of ['client-certificate', 'client-certificate-data', 'client-key', 'client-key-data']) {
      references.push(
        ...valueReference(file, mapGet(user, field), path, flagSpec('kubeconfig', field)!, { owner: entry.name, inline: field.endsWith('-data') }),
      );
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

/** The credential fields a user entry sets: an empty or null value is unset, as client-go reads it. */
function credentialsOf(file: YamlFile, user: Node | undefined): KubeconfigUser['credentials'] {
  return CREDENTIAL_FIELDS.flatMap((field) => {
    const value = mapGet(user, field);
    const set = value !== undefined && (isScalar(value) ? !!scalarString(value) : !(isMap(value) && value.items.length === 0));
    const range = rangeOfNode(file, mapKey(user, field));
    return set && range ? [{ field, range }] : [];
  });
}
