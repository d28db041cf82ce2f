import { posix } from 'node:path';
import type { ApiObject } from '../kube/kinds';
import { getOrMake } from '../memo';
import type { ObjectModel } from './objectModel';

/** What a lookup reads: the tree's objects and its files (to find the kustomizations). */
export interface LinkScope {
  objects: ObjectModel;
  workspace: { files: string[]; boundary: string };
}

const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const unitFolders = new WeakMap<string[], Set<string>>();
/** Each file's unit, once per tree listing: lookups compare it for every candidate object. */
const unitsOfFiles = new WeakMap<string[], Map<string, string>>();

/**
 * The folder an object's names resolve within: the nearest folder above its file that holds a kustomization
 * (one deployable unit), else the whole tree. Same-named objects of another cluster or overlay are never linked.
 */
export function unitOf(scope: LinkScope, file: string): string {
  return getOrMake(
    getOrMake(unitsOfFiles, scope.workspace.files, () => new Map<string, string>()),
    file,
    () => findUnit(scope, file),
  );
}

function findUnit(scope: LinkScope, file: string): string {
  const kustomized = getOrMake(
    unitFolders,
    scope.workspace.files,
    () => new Set(scope.workspace.files.filter((f) => KUSTOMIZATION_NAMES.includes(posix.basename(f))).map((f) => posix.dirname(f))),
  );
  for (let dir = posix.dirname(file); dir.startsWith(scope.workspace.boundary) && dir !== posix.dirname(dir); dir = posix.dirname(dir))
    if (kustomized.has(dir)) return dir;
  return scope.workspace.boundary;
}

/** A namespace as written matches another unless both are written and differ (kustomize or kubectl -n gives one later). */
const sameNamespace = (a: string | undefined, b: string | undefined) => a === undefined || b === undefined || a === b;

/** The objects of this kind and name in `from`'s unit and namespace: one is a link, several are ambiguous (no finding), none is not in the workspace. */
function lookup(scope: LinkScope, from: ApiObject, kind: string, namespace: string | undefined, name: string): ApiObject[] {
  const unit = unitOf(scope, from.file);
  return scope.objects.objects.filter((o) => o.kind === kind && o.name === name && sameNamespace(o.namespace, namespace) && unitOf(scope, o.file) === unit);
}

/** The Secrets named `name` that `from` (an Ingress, a Gateway, an Issuer) may mean. */
export function lookupSecret(scope: LinkScope, from: ApiObject, namespace: string | undefined, name: string): ApiObject[] {
  return lookup(scope, from, 'Secret', namespace, name);
}

/** The cert-manager Certificates that write the Secret `name` (their spec.secretName). */
export function certificatesWriting(scope: LinkScope, from: ApiObject, namespace: string | undefined, name: string): ApiObject[] {
  const unit = unitOf(scope, from.file);
  return scope.objects.objects.filter(
    (o) => o.certificate?.secretName?.value === name && sameNamespace(o.namespace, namespace) && unitOf(scope, o.file) === unit,
  );
}

/** The Issuer (or ClusterIssuer, any namespace) a Certificate's issuerRef names. */
export function lookupIssuer(scope: LinkScope, certificate: ApiObject): ApiObject[] {
  const ref = certificate.certificate?.issuerRef;
  if (!ref || ref.group !== 'cert-manager.io') return [];
  return lookup(scope, certificate, ref.kind, ref.kind === 'ClusterIssuer' ? undefined : certificate.namespace, ref.name);
}
