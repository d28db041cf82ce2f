import type { DeployableUnit, NamespaceRule } from './deployableUnits';

/** An object as the object model indexes it: where it is and what it is called there. */
export interface NamedObject {
  kind: string;
  /** Its own metadata.namespace; undefined when it has none. */
  namespace?: string;
  name: string;
  file: string;
}

/** An object found in a unit, with the namespace the unit deploys it in (undefined: not known, the apply's default). */
export interface UnitMatch {
  object: NamedObject;
  namespace?: string;
}

/** Kinds without a namespace: a namespace rule leaves them alone and a lookup ignores the namespace asked. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'APIService',
  'CertificateSigningRequest',
  'ClusterTrustBundle',
  'ClusterIssuer',
  'IngressClass',
  'GatewayClass',
  'PriorityClass',
  'RuntimeClass',
]);

/** The namespace an object lands in when its unit deploys it. */
export function effectiveNamespace(rule: NamespaceRule | undefined, object: Pick<NamedObject, 'kind' | 'namespace'>): string | undefined {
  if (CLUSTER_SCOPED_KINDS.has(object.kind)) return undefined;
  if (rule?.override) return rule.namespace;
  return object.namespace ?? rule?.namespace;
}

const keyOf = (kind: string, namespace: string | undefined, name: string) => `${kind}\u0000${namespace ?? ''}\u0000${name}`;

/** A unit's name indexes. */
interface UnitIndex {
  exact: Map<string, UnitMatch[]>;
  byName: Map<string, UnitMatch[]>;
}

/**
 * Names looked up inside one deployable unit. Each unit's index is built on its
 * first lookup, once, from the objects the unit deploys (`membersOf`, each with the
 * namespace it lands in), so lookups stay linear in the repository however many
 * links there are. Several matches mean ambiguous: no finding, the hover lists them.
 */
export class UnitNameResolver {
  private readonly indexes = new Map<DeployableUnit, UnitIndex>();

  constructor(private readonly membersOf: (unit: DeployableUnit) => readonly UnitMatch[]) {}

  private index(unit: DeployableUnit): UnitIndex {
    let found = this.indexes.get(unit);
    if (!found) {
      found = indexOf(this.membersOf(unit));
      this.indexes.set(unit, found);
    }
    return found;
  }

  /** The objects of `kind` called `name` the unit deploys, in any namespace (the asker's namespace is not known). */
  resolveAnyNamespace(unit: DeployableUnit, kind: string, name: string): UnitMatch[] {
    return this.index(unit).byName.get(keyOf(kind, undefined, name)) ?? [];
  }

  /**
   * The objects of `kind` called `name` in `namespace` that the unit deploys. An object
   * whose namespace the unit leaves open (none of its own, no rule) matches any namespace:
   * it lands wherever the apply puts it.
   */
  resolveName(unit: DeployableUnit, kind: string, namespace: string | undefined, name: string): UnitMatch[] {
    const index = this.index(unit).exact;
    if (CLUSTER_SCOPED_KINDS.has(kind)) return index.get(keyOf(kind, undefined, name)) ?? [];
    const exact = namespace === undefined ? [] : (index.get(keyOf(kind, namespace, name)) ?? []);
    return [...exact, ...(index.get(keyOf(kind, undefined, name)) ?? [])];
  }
}

function indexOf(members: readonly UnitMatch[]): UnitIndex {
  const exact = new Map<string, UnitMatch[]>();
  const byName = new Map<string, UnitMatch[]>();
  for (const match of members) {
    const { object } = match;
    for (const [map, key] of [
      [exact, keyOf(object.kind, match.namespace, object.name)],
      [byName, keyOf(object.kind, undefined, object.name)],
    ] as const) {
      const list = map.get(key);
      if (list) list.push(match);
      else map.set(key, [match]);
    }
  }
  return { exact, byName };
}

/** A unit's objects read from its member files (the whole unit's `files`): for a unit built whole, as tests do. */
export function membersOfFiles(objectsOf: (file: string) => readonly NamedObject[]): (unit: DeployableUnit) => UnitMatch[] {
  return (unit) => [...unit.files].flatMap(([file, rule]) => objectsOf(file).map((object) => ({ object, namespace: effectiveNamespace(rule, object) })));
}
