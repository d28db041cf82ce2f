import type { Document } from 'yaml';
import { mapGet, scalarString, YamlFile } from '../yamlFile';
import { apiObjects } from './apiObjects';
import { argsFile } from './argsFile';
import { componentConfig } from './componentConfig';
import { contentFilterOf } from './contentTriggers';

export { holdsName } from './contentTriggers';

import type { DocumentKind, TextKind, YamlKind } from './documentKind';
import { envFile } from './envFile';
import { kubeadmConfig } from './kubeadmConfig';
import { kubeconfig } from './kubeconfig';
import { kubeletConfig } from './kubeletConfig';
import { kubeletEnv } from './kubeletEnv';
import { opensslProfile } from './opensslProfile';
import { pem } from './pem';
import { rancherConfig } from './rancherConfig';
import { staticPod } from './staticPod';
import { systemdUnit } from './systemdUnit';
import { talosconfig } from './talosconfig';
import { talosMachineConfig } from './talosMachineConfig';

/**
 * THE list of document kinds. Text kinds are tried in this order on a file's
 * text, the first that detects decides; a file none of them claims is read as
 * YAML (or JSON), and each document goes to the first YAML kind that detects
 * it. Adding a kind: one module in this folder, one line here.
 */
const KINDS = [
  argsFile,
  rancherConfig,
  kubeletEnv,
  opensslProfile,
  systemdUnit,
  envFile,
  pem,
  kubeconfig,
  kubeletConfig,
  componentConfig,
  kubeadmConfig,
  staticPod,
  talosMachineConfig,
  talosconfig,
  apiObjects,
] as const;

type DocumentOf<K> = K extends DocumentKind<infer D> ? D : never;

/** What a document of a config file is: the union of what the registered kinds yield. */
export type ConfigDocument = DocumentOf<(typeof KINDS)[number]>;

export const DOCUMENT_KINDS: ReadonlyArray<DocumentKind<ConfigDocument>> = KINDS;

const TEXT_KINDS = DOCUMENT_KINDS.filter((k): k is TextKind<ConfigDocument> => k.syntax === 'text');
const YAML_KINDS = DOCUMENT_KINDS.filter((k): k is YamlKind<ConfigDocument> => k.syntax === 'yaml');
const KIND_BY_ID = new Map(DOCUMENT_KINDS.map((k) => [k.id, k]));

/** Whether a YAML kind may read something of this text (its triggers): no = not parsed; if-named = joined-only kinds alone. Linear. */
export const admitYamlText = contentFilterOf(YAML_KINDS.map((k) => k.triggers));

/** Whether any YAML kind may read something of this text, joined-only kinds included. */
export const mayHoldYamlDocuments = (text: string) => admitYamlText(text) !== 'no';

/** The names the documents of a config file look up among joined-only objects (holdsName tells which deferred files hold them). */
export function namesLookedUp(documents: readonly ConfigDocument[]): string[] {
  return documents.flatMap((doc) => {
    const kind = kindOfDocument(doc);
    return kind.syntax === 'yaml' && kind.lookups ? kind.lookups(doc) : [];
  });
}

/** The kind whose text test claims the file, or undefined: YAML, or not configuration. Linear (every file of a tree goes through it). */
export function textKindOf(text: string, path = ''): TextKind<ConfigDocument> | undefined {
  return TEXT_KINDS.find((k) => k.detect(text, path));
}

/**
 * One YAML document read by the first kind that claims it and finds something; undefined when none does.
 * A Pod running no control-plane component is no static pod, but may be a webhook's workload (apiObjects).
 */
export function readYamlDocument(file: YamlFile, doc: Document.Parsed, path: string): { kind: YamlKind<ConfigDocument>; document: ConfigDocument } | undefined {
  const root = doc.contents;
  const head = { root, kind: scalarString(mapGet(root, 'kind')), apiVersion: scalarString(mapGet(root, 'apiVersion')) ?? '' };
  for (const kind of YAML_KINDS) {
    const document = kind.detect(head) ? kind.read(file, root, path) : undefined;
    if (document) return { kind, document };
  }
  return undefined;
}

/** The registered kind that yields documents of this `kind` tag. */
export function kindOfDocument(document: ConfigDocument): DocumentKind<ConfigDocument> {
  return KIND_BY_ID.get(document.kind)!;
}

export type {
  ApiObject,
  ApiObjectsDocument,
  CertManagerCertificate,
  ClientConfig,
  LinkFacts,
  NamedValue,
  ObjectFlag,
  ObjectValue,
  TlsTermination,
  ValueRole,
} from './apiObjects';
export { objectKey, objectLabel, valueLabel } from './apiObjects';
export type { ConfigContent, DocumentKind, FlagSite, KubeconfigFile, NodeParts, PodModel, TextKind, YamlHead, YamlKind } from './documentKind';
export type { KubeconfigModel, NamedEntry } from './kubeconfig';
export type { TalosconfigDocument } from './talosconfig';
export type { TalosMachineConfigDocument } from './talosMachineConfig';
