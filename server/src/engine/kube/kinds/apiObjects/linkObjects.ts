import type { Node } from 'yaml';
import { mapGet, mapGetPath, rangeOfNode, scalarString, seqItems } from '../../yamlFile';
import type { LinkFacts } from './linkFacts';
import { entries, type ObjectReading } from './values';

/**
 * Readers of the objects that hold no PEM but lead to one: a Service's selector, a workload's Secret volumes
 * and cert flags, cert-manager's Certificate and Issuer. Cheap (a few map looks, nothing decoded); the links
 * are followed only from a caBundle or an inject-ca-from annotation.
 */

function labels(node: unknown): Record<string, string> | undefined {
  const found = entries(node).flatMap(({ key, value }) => {
    const v = scalarString(value);
    return v === undefined ? [] : [[key, v] as const];
  });
  return found.length > 0 ? Object.fromEntries(found) : undefined;
}

function facts(reading: ObjectReading): LinkFacts {
  reading.object.links ??= {};
  return reading.object.links;
}

export function readService(reading: ObjectReading, root: unknown): void {
  const selector = labels(mapGetPath(root, ['spec', 'selector']));
  if (selector) facts(reading).selector = selector;
}

/** A flag naming the serving certificate: --tls-cert-file, --cert-file, --cert (metrics-server, webhooks built on controller-runtime flags). */
const CERT_FLAGS = new Set(['--tls-cert-file', '--cert-file', '--cert', '--tls-cert']);

function certFilesOf(args: string[]): string[] {
  return args.flatMap((arg, i) => {
    const eq = arg.indexOf('=');
    if (eq > 0 && CERT_FLAGS.has(arg.slice(0, eq))) return [arg.slice(eq + 1)];
    return CERT_FLAGS.has(arg) && i + 1 < args.length ? [args[i + 1]] : [];
  });
}

/** Deployment, StatefulSet, DaemonSet (spec.template) or a Pod (itself): its labels, Secret volumes with their mounts, and cert flags. */
export function readWorkload(reading: ObjectReading, root: unknown): void {
  const template = reading.object.kind === 'Pod' ? root : mapGetPath(root, ['spec', 'template']);
  const podSpec = mapGet(template, 'spec');
  const containers = [...seqItems(mapGet(podSpec, 'containers')), ...seqItems(mapGet(podSpec, 'initContainers'))];
  const secretVolumes = seqItems(mapGet(podSpec, 'volumes')).flatMap((volume) => {
    const name = scalarString(mapGet(volume, 'name'));
    const secretName = scalarString(mapGetPath(volume, ['secret', 'secretName']));
    if (!name || !secretName) return [];
    const mountPaths = containers.flatMap((c) =>
      seqItems(mapGet(c, 'volumeMounts')).flatMap((m) => (scalarString(mapGet(m, 'name')) === name ? [scalarString(mapGet(m, 'mountPath')) ?? ''] : [])),
    );
    return [{ volume: name, secretName, mountPaths: mountPaths.filter(Boolean) }];
  });
  if (secretVolumes.length === 0) return;
  const args = containers.flatMap((c) => [...seqItems(mapGet(c, 'command')), ...seqItems(mapGet(c, 'args'))].flatMap((a) => scalarString(a) ?? []));
  const link = facts(reading);
  link.secretVolumes = secretVolumes;
  link.podLabels = labels(mapGetPath(template, ['metadata', 'labels'])) ?? {};
  link.certFiles = certFilesOf(args);
}

/** cert-manager.io Certificate: spec.secretName, spec.dnsNames, spec.issuerRef. */
export function readCertManagerCertificate(reading: ObjectReading, root: unknown): void {
  if (!reading.object.apiVersion.startsWith('cert-manager.io/')) return;
  const spec = mapGet(root, 'spec');
  const secretName = scalarString(mapGet(spec, 'secretName'));
  const range = rangeOfNode(reading.file, (mapGet(spec, 'dnsNames') ?? mapGet(spec, 'secretName')) as Node | undefined);
  if (!secretName || !range) return;
  const dnsNames = seqItems(mapGet(spec, 'dnsNames')).flatMap((n) => scalarString(n) ?? []);
  const issuer = mapGet(spec, 'issuerRef');
  const issuerName = scalarString(mapGet(issuer, 'name'));
  const issuerRef = issuerName ? { kind: scalarString(mapGet(issuer, 'kind')) ?? 'Issuer', name: issuerName } : undefined;
  facts(reading).certificate = { secretName, dnsNames, range, ...(issuerRef ? { issuerRef } : {}) };
}

/** cert-manager.io Issuer / ClusterIssuer: spec.ca.secretName (a CA issuer signs with the CA that Secret holds). */
export function readIssuer(reading: ObjectReading, root: unknown): void {
  if (!reading.object.apiVersion.startsWith('cert-manager.io/')) return;
  const caSecretName = scalarString(mapGetPath(root, ['spec', 'ca', 'secretName']));
  if (caSecretName) facts(reading).caSecretName = caSecretName;
}

/** The cert-manager.io/inject-ca-from and inject-ca-from-secret annotations of a webhook configuration, APIService or CRD. */
export function readInjectCaFrom(reading: ObjectReading, root: unknown): void {
  for (const [annotation, field] of [
    ['cert-manager.io/inject-ca-from', 'injectCaFrom'],
    ['cert-manager.io/inject-ca-from-secret', 'injectCaFromSecret'],
  ] as const) {
    const node = mapGetPath(root, ['metadata', 'annotations', annotation]);
    const value = scalarString(node);
    const range = rangeOfNode(reading.file, node);
    if (value && range) facts(reading)[field] = { value, range };
  }
}
