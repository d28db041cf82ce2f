import type { ApiObject } from '../kube/kinds';
import { type UnitScope, unitOf } from './kustomizationUnit';
import type { ObjectModel } from './objectModel';

/** What a lookup reads: the tree's objects and its files (to find the kustomizations). */
export interface LinkScope extends UnitScope {
  objects: ObjectModel;
}

/** A namespace as written matches another unless both are written and differ (kustomize or kubectl -n gives one later). */
const sameNamespace = (a: string | undefined, b: string | undefined) => a === undefined || b === undefined || a === b;

/** The objects of this kind and name in `from`'s unit and namespace: one is a link, several are ambiguous (no finding), none is not in the workspace. */
function lookup(scope: LinkScope, from: ApiObject, kind: string, namespace: string | undefined, name: string): ApiObject[] {
  const unit = unitOf(scope, from.file);
  return scope.objects.named(kind, name).filter((o) => sameNamespace(o.namespace, namespace) && unitOf(scope, o.file) === unit);
}

/** The Secrets named `name` that `from` (an Ingress, a Gateway, an Issuer) may mean. */
export function lookupSecret(scope: LinkScope, from: ApiObject, namespace: string | undefined, name: string): ApiObject[] {
  return lookup(scope, from, 'Secret', namespace, name);
}

/** The cert-manager Certificates that write the Secret `name` (their spec.secretName). */
export function certificatesWriting(scope: LinkScope, from: ApiObject, namespace: string | undefined, name: string): ApiObject[] {
  const unit = unitOf(scope, from.file);
  return scope.objects
    .ofKind('Certificate')
    .filter((o) => o.certificate?.secretName?.value === name && sameNamespace(o.namespace, namespace) && unitOf(scope, o.file) === unit);
}

/** The Issuer (or ClusterIssuer, any namespace) a Certificate's issuerRef names. */
export function lookupIssuer(scope: LinkScope, certificate: ApiObject): ApiObject[] {
  const ref = certificate.certificate?.issuerRef;
  if (!ref || ref.group !== 'cert-manager.io') return [];
  return lookup(scope, certificate, ref.kind, ref.kind === 'ClusterIssuer' ? undefined : certificate.namespace, ref.name);
}
