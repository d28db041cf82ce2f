import type { Node } from 'yaml';
import { getOrMake } from '../../../memo';
import { mapGet, rangeOfNode, scalarString, seqItems, type YamlFile } from '../../yamlFile';
import type { YamlKind } from '../documentKind';
import { readCertificateSigningRequest, readClusterTrustBundle } from './certificates';
import { readCertManagerCertificate as readCertificatePromise, readCertManagerIssuer as readIssuerPromise } from './certManager';
import { caBundleInjected, readApiService, readCustomResourceDefinition, readWebhookConfiguration } from './clientConfig';
import { readConfigMap } from './configMap';
import { readGateway } from './gateway';
import { readIngress } from './ingress';
import { readCertManagerCertificate, readInjectCaFrom, readIssuer, readService, readWorkload } from './linkObjects';
import type { ApiObject } from './model';
import { readSecret } from './secret';
import type { ObjectReading } from './values';

/** One reader per object type: the only list of the API objects kube-pki reads TLS material from. */
const READERS: Record<string, (reading: ObjectReading, root: unknown) => void> = {
  Secret: readSecret,
  ConfigMap: readConfigMap,
  MutatingWebhookConfiguration: injectable(readWebhookConfiguration),
  ValidatingWebhookConfiguration: injectable(readWebhookConfiguration),
  APIService: injectable(readApiService),
  CustomResourceDefinition: injectable(readCustomResourceDefinition),
  CertificateSigningRequest: readCertificateSigningRequest,
  ClusterTrustBundle: readClusterTrustBundle,
  // No PEM: what leads a caBundle to the certificate its service serves (check/objectLinks.ts).
  Service: readService,
  Deployment: readWorkload,
  StatefulSet: readWorkload,
  DaemonSet: readWorkload,
  // A bare Pod (no control-plane component: those are static pods) with Secret volumes serves like a Deployment's pods.
  Pod: readWorkload,
  // Where TLS ends for Ingress and Gateway traffic (check/ingressLinks.ts).
  Ingress: readIngress,
  Gateway: readGateway,
  // cert-manager, read for both joins: what leads to a served certificate (links) and what a Certificate promises (certificate, issuer).
  Certificate: both(readCertManagerCertificate, readCertificatePromise),
  Issuer: both(readIssuer, readIssuerPromise),
  ClusterIssuer: both(readIssuer, readIssuerPromise),
};

type Reader = (reading: ObjectReading, root: unknown) => void;

/**
 * Text a file must also hold for a reader to find anything (the content filter, contentTriggers.ts): without them the
 * object is not read (a ConfigMap without PEM, a workload without a Secret volume), so its file need not be parsed.
 * A reader not listed here is admitted by its kind alone. A superset is safe; keep a string for every reader's early return.
 */
const READER_NEEDS: Partial<Record<keyof typeof READERS, readonly string[]>> = {
  ConfigMap: ['-----BEGIN', 'binaryData'],
  Service: ['selector'],
  Deployment: ['secretName'],
  StatefulSet: ['secretName'],
  DaemonSet: ['secretName'],
  Certificate: ['cert-manager.io'],
  Issuer: ['cert-manager.io'],
  ClusterIssuer: ['cert-manager.io'],
};

/** Two readers of one kind, each filling its own part of the object. */
function both(first: Reader, second: Reader): Reader {
  return (reading, root) => {
    first(reading, root);
    second(reading, root);
  };
}

/** An object whose caBundles cert-manager's cainjector may fill: its inject-ca-from annotation is read too. */
function injectable(reader: (reading: ObjectReading, root: unknown) => void) {
  return (reading: ObjectReading, root: unknown) => {
    reader(reading, root);
    readInjectCaFrom(reading, root);
  };
}

/** The API objects of one YAML document: one object, or the items of a `kind: List`. */
export interface ApiObjectsDocument {
  kind: 'apiObjects';
  objects: ApiObject[];
}

// Linear looks at the whole text, once per file (the kind reads every document of every manifest of a GitOps tree):
// a `kind:` line naming one of READERS' kinds (YAML or JSON), and no template syntax.
// The kinds that lead to a serving certificate (LinkFacts) are admitted by the same one look: reading them is a few
// map looks, and nothing is joined unless a caBundle or an inject-ca-from annotation asks for it.
const OBJECT_KIND =
  /^[ \t]*(?:- [ \t]*)?["']?kind["']?[ \t]*:[ \t]*["']?(Secret|ConfigMap|MutatingWebhookConfiguration|ValidatingWebhookConfiguration|APIService|CustomResourceDefinition|CertificateSigningRequest|ClusterTrustBundle|Service|Deployment|StatefulSet|DaemonSet|Pod|Ingress|Gateway|Certificate|Issuer|ClusterIssuer)\b|"kind"[ \t]*:[ \t]*"(Secret|ConfigMap|MutatingWebhookConfiguration|ValidatingWebhookConfiguration|APIService|CustomResourceDefinition|CertificateSigningRequest|ClusterTrustBundle|Service|Deployment|StatefulSet|DaemonSet|Pod|Ingress|Gateway|Certificate|Issuer|ClusterIssuer)"/m;

/**
 * Whether a file may hold API objects with TLS material: a kind line of one of them, and (a ConfigMap
 * aside, whose PEM is plain text) no Helm/Go `{{ }}` or Jinja `{% %}` template, whose values are not what is deployed.
 */
export function mayHoldApiObjects(text: string): boolean {
  return !isTemplated(text) && OBJECT_KIND.test(text);
}

/** Helm/Go or Jinja template syntax anywhere: the file is a template, skipped whole (never reported invalid). */
export function isTemplated(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

const filtered = new WeakMap<YamlFile, boolean>();

export const apiObjects: YamlKind<ApiObjectsDocument> = {
  id: 'apiObjects',
  syntax: 'yaml',
  detect: ({ kind }) => kind === 'List' || (kind !== undefined && Object.hasOwn(READERS, kind)),
  // A `kind: List` yields only its items, whose own `kind:` lines are in the text.
  // A Service is read only for the clientConfig that names it (check/objectLinks.ts): the others' files stay unparsed.
  triggers: { kinds: Object.fromEntries(Object.keys(READERS).map((kind) => [kind, READER_NEEDS[kind] ?? []])), strings: [], joinedOnly: ['Service'] },
  lookups: (doc) => doc.objects.flatMap((o) => o.clientConfigs.flatMap((c) => c.service?.name ?? [])),
  // API objects belong to the tree, not to a node: the check's ObjectModel indexes them (by file, kind, namespace and name).
  addToNode() {},
  nodeless: true,
  read(file, root, path) {
    if (!getOrMake(filtered, file, () => mayHoldApiObjects(file.text))) return undefined;
    const roots = scalarString(mapGet(root, 'kind')) === 'List' ? seqItems(mapGet(root, 'items')) : [root as Node];
    const objects = roots.flatMap((r) => readObject(file, r, path) ?? []);
    return objects.length > 0 ? { kind: 'apiObjects', objects } : undefined;
  },
};

/** One object, when its kind is one of READERS' and it has something for the rules (a value, a clientConfig, a flag). */
function readObject(file: YamlFile, root: Node, path: string): ApiObject | undefined {
  const kind = scalarString(mapGet(root, 'kind'));
  const reader = kind !== undefined && Object.hasOwn(READERS, kind) ? READERS[kind] : undefined;
  const range = rangeOfNode(file, mapGet(mapGet(root, 'metadata'), 'name') ?? root);
  if (!reader || !kind || !range) return undefined;
  const metadata = mapGet(root, 'metadata');
  const object: ApiObject = {
    kind,
    apiVersion: scalarString(mapGet(root, 'apiVersion')) ?? '',
    name: scalarString(mapGet(metadata, 'name')) ?? '',
    namespace: scalarString(mapGet(metadata, 'namespace')),
    file: path,
    range,
    type: scalarString(mapGet(root, 'type')),
    values: [],
    clientConfigs: [],
    flags: [],
  };
  if (object.namespace === undefined) delete object.namespace;
  if (object.type === undefined) delete object.type;
  reader({ file, object, injected: caBundleInjected(root) }, root);
  const linked = object.links || object.frontend || object.certificate || object.issuer;
  return object.values.length > 0 || object.clientConfigs.length > 0 || object.flags.length > 0 || linked ? object : undefined;
}

export type { LinkFacts } from './linkFacts';
export type { ApiObject, CertManagerCertificate, ClientConfig, NamedValue, ObjectFlag, ObjectValue, TlsTermination, ValueRole } from './model';
export { objectKey, objectLabel, valueLabel } from './model';
