// Talos: what ca-mismatch and san-missing check between a machine configuration and a talosconfig.
// Talos's API certificate (apid, trustd) is made on the node at runtime, signed by machine.ca, for
// machine.certSANs, the hostname and the node's own addresses: offline, the CA and the names are checkable.
import { isIP } from 'node:net';
import type { RuleContext } from '../check/ruleContext';
import { urlHost } from '../kube/addresses';
import type { Reference } from '../kube/reference';
import { attributeValues } from '../pki/distinguishedName';
import { edgeVerdict } from './helpers';
import type { Report } from './rule';

type Edge = (leafRef: Reference | undefined, caRef: Reference | undefined, reportOn: 'leaf' | 'ca', why: string) => void;

const named = (refs: Reference[], name: string) => refs.filter((r) => r.spec.name === name);

/** Every machine.ca.crt of the checked folder: a talosconfig and its cluster's configs need not share a node folder. */
function machineCas(ctx: RuleContext): Reference[] {
  return ctx.nodes.flatMap((n) => n.talosMachineConfigs.flatMap((t) => named(t.document.references, 'machine.ca.crt')));
}

/** The machine CA that signed `crt`, else the first (several clusters in one folder: the client belongs to one of them). */
function signerAmong(ctx: RuleContext, crt: Reference, cas: Reference[]): Reference | undefined {
  const leaf = ctx.ok(crt)?.certs ?? [];
  return cas.find((ca) => leaf.length > 0 && edgeVerdict(leaf, ctx.ok(ca)?.certs ?? []).ok) ?? cas[0];
}

/** talosctl's trust: its client certificate signed by machine.ca (apid verifies it), its ca holding machine.ca (it verifies apid). */
export function talosTrustEdges(ctx: RuleContext, edge: Edge): void {
  const cas = machineCas(ctx);
  if (cas.length === 0) return;
  for (const { document } of ctx.nodes.flatMap((n) => n.talosconfigs)) {
    for (const crt of named(document.references, 'crt')) {
      const machineCa = signerAmong(ctx, crt, cas);
      edge(crt, machineCa, 'leaf', 'so the Talos API rejects talosctl');
      const ca = document.references.find((r) => r.spec.name === 'ca' && r.owner === crt.owner);
      edge(machineCa, ca, 'ca', 'so talosctl rejects the Talos API');
    }
  }
}

/** The host of a talosctl endpoint: "host", "host:port", "[v6]:port" or a URL. */
export function endpointHost(endpoint: string): string | undefined {
  if (endpoint.includes('://')) return urlHost(endpoint);
  if (endpoint.startsWith('[')) return endpoint.slice(1, endpoint.indexOf(']') > 0 ? endpoint.indexOf(']') : undefined);
  const colon = endpoint.indexOf(':');
  return colon >= 0 && colon === endpoint.lastIndexOf(':') ? endpoint.slice(0, colon) : endpoint;
}

/**
 * A DNS name talosctl connects to must be in machine.certSANs (or be the hostname) of the control plane
 * configs: Talos adds nothing else by name. An IP is not judged: Talos adds the node's addresses, which
 * only the running node knows.
 */
export function checkTalosEndpointNames(ctx: RuleContext, report: Report): void {
  const configs = ctx.nodes
    .flatMap((n) => n.talosMachineConfigs)
    .filter(({ document }) => document.machineType === 'controlplane' || document.machineType === 'init');
  if (configs.length === 0) return;
  const names = new Set(configs.flatMap(({ document }) => [...document.certSANs.map((s) => s.value), document.hostname ?? '']).map((n) => n.toLowerCase()));
  for (const { document } of ctx.nodes.flatMap((n) => n.talosconfigs)) {
    for (const context of document.contexts) {
      for (const endpoint of context.endpoints) {
        const host = endpointHost(endpoint.value);
        if (!host || isIP(host) || names.has(host.toLowerCase())) continue;
        const where = [...new Set(configs.map((c) => ctx.shownPath(c.file)))].join(', ');
        report(
          endpoint,
          `${host}, an endpoint of context ${context.name} in ${ctx.shownPath(endpoint.file)}, is not in the machine.certSANs of ${where}: Talos makes its API certificate for machine.certSANs, the hostname and the node's addresses only, so talosctl rejects the Talos API`,
        );
      }
    }
  }
}

/** The roles Talos's API grants by a client certificate's O (siderolabs/talos pkg/machinery/role; os:operator in older releases). */
const TALOS_ROLES = ['os:admin', 'os:operator', 'os:reader', 'os:etcd:backup', 'os:impersonator'];

/**
 * With machine.features.rbac: true (talosctl gen config writes it; absent means off), the Talos API authorizes a
 * client by the roles in its certificate's O: a talosconfig certificate holding none is denied every call. An O
 * naming another `os:` role may be a newer Talos's role: not judged.
 */
export function checkTalosClientRoles(ctx: RuleContext, report: Report): void {
  const rbac = ctx.nodes.some((n) => n.talosMachineConfigs.some(({ document }) => document.rbac && document.machineType !== 'worker'));
  if (!rbac) return;
  for (const { document } of ctx.nodes.flatMap((n) => n.talosconfigs)) {
    for (const crt of named(document.references, 'crt')) {
      const cert = ctx.ok(crt)?.certs[0];
      if (!cert) continue;
      const orgs = attributeValues(cert.subject, 'O');
      if (orgs.some((o) => o.startsWith('os:'))) continue;
      const shown = orgs.length ? orgs.map((o) => `"${o}"`).join(', ') : 'missing';
      report(
        crt,
        `${ctx.describe(crt)} has O ${shown}, none of Talos's roles (${TALOS_ROLES.join(', ')}): with machine.features.rbac: true the Talos API denies talosctl every call`,
      );
    }
  }
}
