import type { ApiObject } from '../kube/kinds';
import { getOrMake } from '../memo';
import { resolveInUnit, sameNamespace, type UnitScope, type UnitView, unitMembers } from './objectUnits';

/** What a lookup reads: the tree's listing, files and objects (check/objectUnits.ts). */
export type LinkScope = UnitScope;

/**
 * The names an Ingress, a Gateway or an Issuer uses, resolved inside one unit it is deployed in (see unitViews):
 * one match is a link, several are ambiguous (no finding), none is not in the workspace. A namespace left
 * undefined is the one the asking object lands in there.
 */

/** The Secrets named `name` that `from` (an Ingress, a Gateway, an Issuer) may mean in the unit. */
export function lookupSecret(scope: LinkScope, view: UnitView, namespace: string | undefined, name: string): ApiObject[] {
  return resolveInUnit(scope, view, 'Secret', namespace, name);
}

type Members = ReturnType<typeof unitMembers>;
/** Each unit's cert-manager Certificates by the Secret they write: an Ingress-heavy unit looks each name up at once. */
const writersOfUnit = new WeakMap<Members, Map<string, Members[number][]>>();

/** The cert-manager Certificates in the unit that write the Secret `name` (their spec.secretName). */
export function certificatesWriting(scope: LinkScope, view: UnitView, namespace: string | undefined, name: string): ApiObject[] {
  const members = unitMembers(scope, view.unit);
  const writers = getOrMake(writersOfUnit, members, () => {
    const bySecret = new Map<string, Members[number][]>();
    for (const m of members) {
      const secretName = m.object.certificate?.secretName?.value;
      if (secretName !== undefined) getOrMake(bySecret, secretName, () => []).push(m);
    }
    return bySecret;
  });
  const wanted = namespace ?? view.namespace;
  return (writers.get(name) ?? []).filter((m) => sameNamespace(m.namespace, wanted)).map((m) => m.object);
}

/** The Issuer (or ClusterIssuer) a Certificate's issuerRef names, in the unit. */
export function lookupIssuer(scope: LinkScope, view: UnitView, certificate: ApiObject): ApiObject[] {
  const ref = certificate.certificate?.issuerRef;
  if (!ref || ref.group !== 'cert-manager.io') return [];
  return resolveInUnit(scope, view, ref.kind, undefined, ref.name);
}
