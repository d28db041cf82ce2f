import { relative } from 'node:path';
import { type ApiObject, type ClientConfig, type ObjectValue, objectLabel } from '../kube/kinds';
import { getOrMake } from '../memo';
import { unitOf } from './kustomizationUnit';
import type { RuleContext } from './ruleContext';

/**
 * The links from a caBundle to the certificate its service serves, found through the repository:
 * Service -> selector -> workload -> Secret volume -> cert file (or tls.crt) -> Secret value, or the
 * cert-manager Certificate that writes that Secret (and its issuer's CA). Every name goes through
 * resolveObject, the one place that says which objects are deployed together.
 */

/**
 * The objects named (kind, namespace, name) that `from` can mean: those deployed with it (for now its folder tree,
 * see unitOf; deployable units replace this body). An object written without a namespace gets one when applied,
 * so it matches any. Several = ambiguous: the callers report nothing and list them.
 */
export function resolveObject(ctx: RuleContext, from: ApiObject, kind: string, namespace: string | undefined, name: string): ApiObject[] {
  const root = `${unitOf(ctx, from.file)}/`;
  return ctx.objects
    .named(kind, name)
    .filter((o) => (namespace === undefined || o.namespace === undefined || o.namespace === namespace) && (o.file.startsWith(root) || root === '/'));
}

/** One step of a link: the object found, or why the chain stops there (not in the workspace, ambiguous). */
export type Found = { object: ApiObject; note?: undefined } | { object?: undefined; note: string };

function one(ctx: RuleContext, from: ApiObject, kind: string, namespace: string | undefined, name: string): Found {
  const label = `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
  const found = resolveObject(ctx, from, kind, namespace, name);
  if (found.length === 1) return { object: found[0] };
  if (found.length === 0) return { note: `${label} is not in the workspace` };
  return { note: `${label} is ambiguous: ${found.map((o) => `${objectLabel(o)} in ${relative(ctx.workspace.boundary, o.file)}`).join(', ')}` };
}

/** A caBundle's way to its serving certificate, as far as the repository holds it. */
export interface ServingLink {
  /** The webhook configuration, APIService or CRD. */
  object: ApiObject;
  config: ClientConfig;
  /** `<service>.<namespace>.svc`: the name the API server dials. */
  host: string;
  service?: ApiObject;
  workload?: ApiObject;
  volume?: string;
  /** The Secret's value the workload serves (tls.crt, or the file its args name). */
  serving?: ObjectValue;
  /** The cert-manager Certificate that writes the served Secret (when the Secret is not in the repository). */
  certificate?: ApiObject;
  /** That Certificate's issuer CA, when the repository holds its Secret. */
  issuerCa?: ObjectValue;
  /** Why the link stops short (a name not in the workspace, an ambiguous one): a hover note, never a finding. */
  note?: string;
}

/** Every clientConfig with a service, linked once per check. */
export function servingLinks(ctx: RuleContext): ServingLink[] {
  return getOrMake(links, ctx, () =>
    ctx.objects.objects.flatMap((object) =>
      object.clientConfigs.flatMap((config) => {
        const { name, namespace } = config.service ?? {};
        return name && namespace ? [linkService(ctx, object, config, namespace, name)] : [];
      }),
    ),
  );
}
const links = new WeakMap<RuleContext, ServingLink[]>();

function linkService(ctx: RuleContext, object: ApiObject, config: ClientConfig, namespace: string, name: string): ServingLink {
  const link: ServingLink = { object, config, host: `${name}.${namespace}.svc` };
  const service = one(ctx, object, 'Service', namespace, name);
  if (!service.object) return { ...link, note: service.note };
  link.service = service.object;
  const selector = service.object.links?.selector;
  if (!selector) return { ...link, note: `${objectLabel(service.object)} has no selector` };
  const workloads = ctx.objects
    .workloads()
    .filter(
      (o) =>
        (o.namespace === undefined || o.namespace === namespace) &&
        Object.entries(selector).every(([k, v]) => o.links?.podLabels?.[k] === v) &&
        resolveObject(ctx, object, o.kind, o.namespace, o.name).includes(o),
    );
  if (workloads.length !== 1)
    return {
      ...link,
      note:
        workloads.length === 0
          ? `no workload with a Secret volume matches the selector of ${objectLabel(service.object)} in the workspace`
          : `the selector of ${objectLabel(service.object)} is ambiguous: ${workloads.map(objectLabel).join(', ')}`,
    };
  link.workload = workloads[0];
  return linkVolume(ctx, link, workloads[0], namespace);
}

/** The workload's Secret volume holding the cert file its args name (tls.crt when they name none). */
function linkVolume(ctx: RuleContext, link: ServingLink, workload: ApiObject, namespace: string): ServingLink {
  const facts = workload.links ?? {};
  const named = (facts.secretVolumes ?? []).flatMap((v) =>
    (facts.certFiles ?? []).flatMap((file) => {
      const mount = v.mountPaths.find((m) => file.startsWith(`${m.replace(/\/+$/, '')}/`));
      return mount ? [{ volume: v, key: file.slice(mount.replace(/\/+$/, '').length + 1) }] : [];
    }),
  );
  const candidates = named.length > 0 ? named : (facts.secretVolumes ?? []).map((volume) => ({ volume, key: 'tls.crt' }));
  if (candidates.length !== 1) return { ...link, note: `${objectLabel(workload)} mounts several Secrets and its args name no certificate file under them` };
  const { volume, key } = candidates[0];
  link.volume = volume.volume;
  const secretNamespace = workload.namespace ?? namespace;
  const secret = one(ctx, workload, 'Secret', secretNamespace, volume.secretName);
  if (secret.object) {
    const serving = secret.object.values.find((v) => v.key === key);
    return serving ? { ...link, serving } : { ...link, note: `${objectLabel(secret.object)} has no ${key}` };
  }
  // Not in the repository as a Secret: cert-manager may write it.
  const writers = ctx.objects
    .ofKind('Certificate')
    .filter((o) => o.links?.certificate?.secretName === volume.secretName && resolveObject(ctx, workload, 'Certificate', secretNamespace, o.name).includes(o));
  if (writers.length !== 1) return { ...link, note: writers.length === 0 ? secret.note : `the Certificates writing Secret ${volume.secretName} are ambiguous` };
  const issued = issuerCaOf(ctx, writers[0]);
  return { ...link, certificate: writers[0], ...(issued.ca ? { issuerCa: issued.ca } : { note: issued.note }) };
}

/** A cert-manager Certificate's issuer CA: issuerRef -> Issuer/ClusterIssuer spec.ca.secretName -> that Secret's tls.crt (else ca.crt). */
export function issuerCaOf(ctx: RuleContext, certificate: ApiObject): { ca?: ObjectValue; note?: string } {
  const ref = certificate.links?.certificate?.issuerRef;
  if (!ref) return { note: `${objectLabel(certificate)} names no issuer` };
  const issuer = one(ctx, certificate, ref.kind, ref.kind === 'ClusterIssuer' ? undefined : certificate.namespace, ref.name);
  if (!issuer.object) return { note: issuer.note };
  const secretName = issuer.object.links?.caSecretName;
  if (!secretName) return { note: `${objectLabel(issuer.object)} is not a CA issuer` };
  const secret = one(ctx, issuer.object, 'Secret', issuer.object.namespace ?? certificate.namespace, secretName);
  if (!secret.object) return { note: secret.note };
  const ca = secret.object.values.find((v) => v.key === 'tls.crt') ?? secret.object.values.find((v) => v.key === 'ca.crt');
  return ca ? { ca } : { note: `${objectLabel(secret.object)} holds no tls.crt or ca.crt` };
}

/** The Certificate a cert-manager.io/inject-ca-from annotation names (`namespace/name`), and its issuer's CA. */
export function injectedCa(ctx: RuleContext, object: ApiObject): { certificate?: ApiObject; ca?: ObjectValue; note?: string } | undefined {
  const annotation = object.links?.injectCaFrom?.value;
  if (!annotation) return undefined;
  const slash = annotation.indexOf('/');
  if (slash <= 0) return { note: `cert-manager.io/inject-ca-from "${annotation}" is not namespace/name` };
  const certificate = one(ctx, object, 'Certificate', annotation.slice(0, slash), annotation.slice(slash + 1));
  if (!certificate.object) return { note: certificate.note };
  return { certificate: certificate.object, ...issuerCaOf(ctx, certificate.object) };
}

/** "served by webhook.ns.svc via Deployment ns/x, volume certs (tls.crt of Secret ns/tls)": a link as the hover says it. */
export function servingPhrase(link: ServingLink): string {
  const via = link.workload ? ` via ${objectLabel(link.workload)}${link.volume ? `, volume ${link.volume}` : ''}` : '';
  const what = link.serving
    ? ` (${link.serving.key} of ${objectLabel(link.serving.object)})`
    : link.certificate
      ? ` (Secret written by ${objectLabel(link.certificate)})`
      : '';
  return `served by ${link.host}${via}${what}${link.note ? `; ${link.note}` : ''}`;
}
