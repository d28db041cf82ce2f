import type { Node } from 'yaml';
import { mapGet, mapGetPath, rangeOfNode, scalarString, seqItems } from '../../yamlFile';
import type { ClientConfig } from './model';
import { addValue, type ObjectReading } from './values';

/** A clientConfig-shaped node (webhooks, conversion webhooks) or an APIService spec: its caBundle, service and url. */
export function readClientConfig(reading: ObjectReading, node: Node | undefined, field: string, owner: string): void {
  if (!node) return;
  const config: ClientConfig = { owner, field };
  const caBundle = addValue(reading, mapGet(node, 'caBundle'), `${field}.caBundle`, 'caBundle', 'ca-bundle', 'base64');
  if (caBundle) config.caBundle = caBundle;
  if (caBundle && reading.injected) caBundle.injected = true;
  const service = mapGet(node, 'service');
  const serviceRange = rangeOfNode(reading.file, service);
  if (service && serviceRange) {
    const port = Number(scalarString(mapGet(service, 'port')));
    config.service = {
      namespace: scalarString(mapGet(service, 'namespace')),
      name: scalarString(mapGet(service, 'name')),
      path: scalarString(mapGet(service, 'path')),
      ...(Number.isInteger(port) && port > 0 ? { port } : {}),
      range: serviceRange,
    };
  }
  const url = scalarString(mapGet(node, 'url'));
  const urlRange = rangeOfNode(reading.file, mapGet(node, 'url'));
  if (url && urlRange) config.url = { value: url, range: urlRange };
  reading.object.clientConfigs.push(config);
}

/** Annotations that make a controller write every caBundle of the object in the cluster. */
const INJECTING_ANNOTATIONS = [
  'cert-manager.io/inject-ca-from',
  'cert-manager.io/inject-ca-from-secret',
  'cert-manager.io/inject-apiserver-ca',
  'service.beta.openshift.io/inject-cabundle',
];

/** Whether the object's caBundles are injected in the cluster (what the file holds is a placeholder such as kubebuilder's `Cg==`). */
export function caBundleInjected(root: unknown): boolean {
  const annotations = mapGetPath(root, ['metadata', 'annotations']);
  return INJECTING_ANNOTATIONS.some((a) => mapGet(annotations, a) !== undefined);
}

/** Mutating/ValidatingWebhookConfiguration: webhooks[].clientConfig. */
export function readWebhookConfiguration(reading: ObjectReading, root: unknown): void {
  seqItems(mapGet(root, 'webhooks')).forEach((webhook, i) => {
    const owner = scalarString(mapGet(webhook, 'name')) ?? `webhooks[${i}]`;
    readClientConfig(reading, mapGet(webhook, 'clientConfig'), `webhooks[${i}].clientConfig`, owner);
  });
}

/** APIService: spec.caBundle, spec.service, spec.insecureSkipTLSVerify. */
export function readApiService(reading: ObjectReading, root: unknown): void {
  const spec = mapGet(root, 'spec');
  readClientConfig(reading, spec, 'spec', reading.object.name);
  const insecure = mapGet(spec, 'insecureSkipTLSVerify');
  const value = scalarString(insecure);
  const range = rangeOfNode(reading.file, insecure);
  if (value !== undefined && range) reading.object.flags.push({ name: 'insecureSkipTLSVerify', value, range });
}

/** CustomResourceDefinition: spec.conversion.webhook.clientConfig (v1), spec.conversion.webhookClientConfig (v1beta1). */
export function readCustomResourceDefinition(reading: ObjectReading, root: unknown): void {
  const conversion = mapGet(mapGet(root, 'spec'), 'conversion');
  readClientConfig(reading, mapGet(mapGet(conversion, 'webhook'), 'clientConfig'), 'spec.conversion.webhook.clientConfig', reading.object.name);
  readClientConfig(reading, mapGet(conversion, 'webhookClientConfig'), 'spec.conversion.webhookClientConfig', reading.object.name);
}
