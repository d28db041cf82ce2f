import type { ApiObject, ClientConfig } from '../kube/kinds';
import { objectLabel } from '../kube/kinds';
import { dnsPatternMatches } from '../verify/hostname';
import { issuerCaOf, type ServingLink } from './objectLinks';
import { resolveInUnit, type UnitView, unitMembers } from './objectUnits';
import type { RuleContext } from './ruleContext';

/**
 * A clientConfig that dials a URL instead of a Service: the server is whatever serves the URL's host. When the
 * webhook's unit holds it (an Ingress with the host in its tls hosts, or a cert-manager Certificate with the host in its
 * dnsNames), its certificate is linked as a Service's would be; otherwise the hover says the server is outside the
 * repository. Never a finding on its own: ca-mismatch judges the link like any other.
 */

/** The host of an https URL as the API server dials it; undefined when it is not one. */
export function urlHost(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.hostname ? parsed.hostname.replace(/^\[|\]$/g, '') : undefined;
  } catch {
    return undefined;
  }
}

/** What serves `host` in the unit: Ingresses terminating TLS for it, else Certificates naming it. */
function servers(ctx: RuleContext, view: UnitView, host: string): ApiObject[] {
  const members = unitMembers(ctx, view.unit);
  const ingresses = members.filter((m) => m.object.frontend?.terminations.some((t) => t.hosts.some((h) => dnsPatternMatches(h.value, host))));
  if (ingresses.length > 0) return ingresses.map((m) => m.object);
  return members.filter((m) => m.object.certificate?.dnsNames.some((n) => dnsPatternMatches(n.value, host))).map((m) => m.object);
}

export function linkUrl(ctx: RuleContext, view: UnitView, object: ApiObject, config: ClientConfig, url: string): ServingLink | undefined {
  const host = urlHost(url);
  if (!host) return undefined;
  const link: ServingLink = { object, config, view, host };
  const found = servers(ctx, view, host);
  if (found.length === 0) return { ...link, note: `nothing in the workspace serves ${host}: the server is outside the repository` };
  if (found.length > 1) return { ...link, note: `the server of ${host} is ambiguous: ${found.map(objectLabel).join(', ')}` };
  const server = found[0];
  if (server.certificate) return viaCertificate(ctx, link, server, server.certificate.secretName?.value);
  const termination = server.frontend?.terminations.find((t) => t.hosts.some((h) => dnsPatternMatches(h.value, host)));
  const ref = termination?.secrets.length === 1 ? termination.secrets[0] : undefined;
  if (!ref) return { ...link, workload: server, note: `${objectLabel(server)} names no single Secret for ${host}` };
  const view2 = { ...view, namespace: ref.namespace ?? server.namespace ?? view.namespace };
  const secrets = resolveInUnit(ctx, view2, 'Secret', undefined, ref.name.value);
  if (secrets.length === 1) {
    const serving = secrets[0].values.find((v) => v.key === 'tls.crt');
    return serving ? { ...link, workload: server, serving } : { ...link, workload: server, note: `${objectLabel(secrets[0])} has no tls.crt` };
  }
  const writers = unitMembers(ctx, view.unit).filter((m) => m.object.certificate?.secretName?.value === ref.name.value);
  if (secrets.length === 0 && writers.length === 1) return viaCertificate(ctx, { ...link, workload: server }, writers[0].object, ref.name.value);
  return { ...link, workload: server, note: `Secret ${ref.name.value} is ${secrets.length === 0 ? 'not in the workspace' : 'ambiguous'}` };
}

/** A cert-manager Certificate serves the host: the Secret it writes when the repository holds it, else its issuer's CA. */
function viaCertificate(ctx: RuleContext, link: ServingLink, certificate: ApiObject, secretName: string | undefined): ServingLink {
  const secrets = secretName
    ? resolveInUnit(ctx, { ...link.view, namespace: certificate.namespace ?? link.view.namespace }, 'Secret', undefined, secretName)
    : [];
  const serving = secrets.length === 1 ? secrets[0].values.find((v) => v.key === 'tls.crt') : undefined;
  if (serving) return { ...link, serving };
  const issued = issuerCaOf(ctx, link.view, certificate, certificate.namespace ?? link.view.namespace);
  return { ...link, certificate, ...(issued.ca ? { issuerCa: issued.ca } : { note: issued.note }) };
}
