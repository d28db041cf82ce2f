import { relative } from 'node:path';
import type { DeployableUnit } from '../kube/deployableUnits';
import { type ApiObject, type ClientConfig, type ObjectValue, objectLabel } from '../kube/kinds';
import { getOrMake } from '../memo';
import type { Range } from '../text/lineIndex';
import { resolveInUnit, sameNamespace, type UnitMember, type UnitView, unitMembers, unitViews } from './objectUnits';
import type { RuleContext } from './ruleContext';
import { linkUrl } from './urlLinks';

/**
 * The links from a caBundle to the certificate its service serves, found through the repository:
 * Service -> selector -> workload -> Secret volume -> cert file (or tls.crt) -> Secret value, or the
 * cert-manager Certificate that writes that Secret (and its issuer's CA). Every name goes through
 * resolveObject, the one place that says which objects are deployed together.
 */

/**
 * The objects named (kind, namespace, name) that `from` can mean in one unit it is deployed in (check/objectUnits.ts).
 * Namespace undefined: the one `from` lands in there. Several = ambiguous: the callers report nothing and list them.
 */
export function resolveObject(ctx: RuleContext, view: UnitView, kind: string, namespace: string | undefined, name: string): ApiObject[] {
  return resolveInUnit(ctx, view, kind, namespace, name);
}

/** One step of a link: the object found, or why the chain stops there (not in the workspace, ambiguous). */
export type Found = { object: ApiObject; note?: undefined } | { object?: undefined; note: string };

function one(ctx: RuleContext, view: UnitView, kind: string, namespace: string | undefined, name: string): Found {
  const label = `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
  const found = resolveObject(ctx, view, kind, namespace, name);
  if (found.length === 1) return { object: found[0] };
  if (found.length === 0) return { note: `${label} is not in the workspace` };
  return { note: `${label} is ambiguous: ${found.map((o) => `${objectLabel(o)} in ${relative(ctx.workspace.boundary, o.file)}`).join(', ')}` };
}

/** A caBundle's way to its serving certificate, as far as the repository holds it, inside one unit the object is deployed in. */
export interface ServingLink {
  /** The webhook configuration, APIService or CRD. */
  object: ApiObject;
  config: ClientConfig;
  /** The unit the names are resolved in (a shared base gives one link per overlay). */
  view: UnitView;
  /** `<service>.<namespace>.svc` (or the url's host): the name the API server dials. */
  host: string;
  service?: ApiObject;
  /** The workload mounting the served Secret; for a url, the Ingress serving its host. */
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

/** Every clientConfig with a service (or an https url: check/urlLinks.ts), linked once per check and per unit its object is deployed in. */
export function servingLinks(ctx: RuleContext): ServingLink[] {
  return getOrMake(links, ctx, () =>
    ctx.objects.objects.flatMap((object) =>
      object.clientConfigs.flatMap((config) => {
        const { name, namespace } = config.service ?? {};
        const url = config.url?.value;
        if (!(name && namespace) && !url) return [];
        return unitViews(ctx, object).flatMap(
          (view) =>
            keptLink(ctx, view, config, () =>
              name && namespace ? linkService(ctx, view, object, config, namespace, name) : linkUrl(ctx, view, object, config, url!),
            ) ?? [],
        );
      }),
    ),
  );
}
const links = new WeakMap<RuleContext, ServingLink[]>();

/**
 * The links made in a unit, with the members they were made from. A link reads only its unit's members (every name is
 * resolved in the unit), so while the unit (the same object while the tree's units hold) deploys the same objects in the
 * same namespaces, its links are those of the last check: a keystroke in one Secret links again only its own unit.
 */
const linksOfUnit = new WeakMap<DeployableUnit, { members: ReadonlyArray<UnitMember>; links: Map<ClientConfig, ServingLink | undefined> }>();

function keptLink(ctx: RuleContext, view: UnitView, config: ClientConfig, make: () => ServingLink | undefined): ServingLink | undefined {
  const members = unitMembers(ctx, view.unit);
  let made = linksOfUnit.get(view.unit);
  if (!made || !sameMembers(made.members, members)) {
    made = { members, links: new Map() };
    linksOfUnit.set(view.unit, made);
  }
  return getOrMake(made.links, config, make);
}

function sameMembers(a: ReadonlyArray<UnitMember>, b: ReadonlyArray<UnitMember>): boolean {
  return a === b || (a.length === b.length && a.every((m, i) => m.object === b[i].object && m.namespace === b[i].namespace));
}

function linkService(ctx: RuleContext, view: UnitView, object: ApiObject, config: ClientConfig, namespace: string, name: string): ServingLink {
  const link: ServingLink = { object, config, view, host: `${name}.${namespace}.svc` };
  const service = one(ctx, view, 'Service', namespace, name);
  if (!service.object) return { ...link, note: service.note };
  link.service = service.object;
  const selector = service.object.links?.selector;
  if (!selector) return { ...link, note: `${objectLabel(service.object)} has no selector` };
  const workloads = unitMembers(ctx, view.unit).filter(
    (m) =>
      m.object.links?.podLabels && sameNamespace(m.namespace, namespace) && Object.entries(selector).every(([k, v]) => m.object.links?.podLabels?.[k] === v),
  );
  if (workloads.length !== 1)
    return {
      ...link,
      note:
        workloads.length === 0
          ? `no workload with a Secret volume matches the selector of ${objectLabel(service.object)} in the workspace`
          : `the selector of ${objectLabel(service.object)} is ambiguous: ${workloads.map((m) => objectLabel(m.object)).join(', ')}`,
    };
  link.workload = workloads[0].object;
  return linkVolume(ctx, link, workloads[0].object, workloads[0].namespace ?? namespace);
}

/** The workload's Secret volume holding the cert file its args name (tls.crt when they name none). */
function linkVolume(ctx: RuleContext, link: ServingLink, workload: ApiObject, secretNamespace: string): ServingLink {
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
  const secret = one(ctx, link.view, 'Secret', secretNamespace, volume.secretName);
  if (secret.object) {
    const serving = secret.object.values.find((v) => v.key === key);
    return serving ? { ...link, serving } : { ...link, note: `${objectLabel(secret.object)} has no ${key}` };
  }
  // Not in the repository as a Secret: cert-manager may write it.
  const writers = unitMembers(ctx, link.view.unit).filter(
    (m) => m.object.links?.certificate?.secretName === volume.secretName && sameNamespace(m.namespace, secretNamespace),
  );
  if (writers.length !== 1) return { ...link, note: writers.length === 0 ? secret.note : `the Certificates writing Secret ${volume.secretName} are ambiguous` };
  const issued = issuerCaOf(ctx, link.view, writers[0].object, writers[0].namespace ?? secretNamespace);
  return { ...link, certificate: writers[0].object, ...(issued.ca ? { issuerCa: issued.ca } : { note: issued.note }) };
}

/** A cert-manager Certificate's issuer CA: issuerRef -> Issuer/ClusterIssuer spec.ca.secretName -> that Secret's tls.crt (else ca.crt). */
export function issuerCaOf(ctx: RuleContext, view: UnitView, certificate: ApiObject, namespace: string | undefined): { ca?: ObjectValue; note?: string } {
  const ref = certificate.links?.certificate?.issuerRef;
  if (!ref) return { note: `${objectLabel(certificate)} names no issuer` };
  const issuer = one(ctx, view, ref.kind, namespace, ref.name);
  if (!issuer.object) return { note: issuer.note };
  const secretName = issuer.object.links?.caSecretName;
  if (!secretName) return { note: `${objectLabel(issuer.object)} is not a CA issuer` };
  // A ClusterIssuer's Secret lives in cert-manager's cluster resource namespace: any the unit holds.
  const secret = one(ctx, view, 'Secret', ref.kind === 'ClusterIssuer' ? issuer.object.namespace : (issuer.object.namespace ?? namespace), secretName);
  if (!secret.object) return { note: secret.note };
  const ca = secret.object.values.find((v) => v.key === 'tls.crt') ?? secret.object.values.find((v) => v.key === 'ca.crt');
  return ca ? { ca } : { note: `${objectLabel(secret.object)} holds no tls.crt or ca.crt` };
}

/** What cainjector writes into an object's caBundles, by its annotation: the CA, and the object it comes from. */
export interface InjectedCa {
  annotation: 'cert-manager.io/inject-ca-from' | 'cert-manager.io/inject-ca-from-secret';
  range: Range;
  /** The Certificate (inject-ca-from) or the Secret (inject-ca-from-secret) the annotation names. */
  from?: ApiObject;
  ca?: ObjectValue;
  /** Why the CA is not known (a hover note, never a finding). */
  note?: string;
}

/**
 * The CA cert-manager injects, in one unit: inject-ca-from names a Certificate (its issuer's CA), inject-ca-from-secret
 * a Secret (its ca.crt, or its tls.crt when that is a CA). Undefined when the object has neither annotation.
 */
export function injectedCa(ctx: RuleContext, view: UnitView, object: ApiObject): InjectedCa | undefined {
  const byCertificate = object.links?.injectCaFrom;
  const bySecret = object.links?.injectCaFromSecret;
  const written = byCertificate ?? bySecret;
  if (!written) return undefined;
  const annotation = byCertificate ? 'cert-manager.io/inject-ca-from' : 'cert-manager.io/inject-ca-from-secret';
  const found: InjectedCa = { annotation, range: written.range };
  const slash = written.value.indexOf('/');
  if (slash <= 0) return { ...found, note: `${annotation} "${written.value}" is not namespace/name` };
  const namespace = written.value.slice(0, slash);
  const named = one(ctx, view, byCertificate ? 'Certificate' : 'Secret', namespace, written.value.slice(slash + 1));
  if (!named.object) return { ...found, note: named.note };
  if (byCertificate) return { ...found, from: named.object, ...issuerCaOf(ctx, view, named.object, namespace) };
  const caCrt = named.object.values.find((v) => v.key === 'ca.crt');
  const tlsCrt = named.object.values.find((v) => v.key === 'tls.crt');
  const ca = caCrt ?? (ctx.objects.ok(tlsCrt)?.certs[0]?.basicConstraints?.ca ? tlsCrt : undefined);
  return { ...found, from: named.object, ...(ca ? { ca } : { note: `${objectLabel(named.object)} holds no ca.crt and its tls.crt is not a CA` }) };
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
