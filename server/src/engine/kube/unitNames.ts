import { DeployableUnit, NamespaceRule } from './deployableUnits';

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

/**
 * Names looked up inside one deployable unit. Each unit's index is built on its
 * first lookup, once (cost: the unit's objects), so lookups stay linear in the
 * repository however many links there are. Several matches mean ambiguous: no
 * finding, the hover lists them.
 */
export class UnitNameResolver {
  private readonly indexes = new Map<DeployableUnit, Map<string, UnitMatch[]>>();
  private readonly byName = new Map<DeployableUnit, Map<string, UnitMatch[]>>();

  constructor(private readonly objectsOf: (file: string) => readonly NamedObject[]) {}

  private index(unit: DeployableUnit): Map<string, UnitMatch[]> {
    let index = this.indexes.get(unit);
    if (index) return index;
    index = new Map();
    const byName = new Map<string, UnitMatch[]>();
    for (const [file, rule] of unit.files) {
      for (const object of this.objectsOf(file)) {
        const match = { object, namespace: effectiveNamespace(rule, object) };
        for (const [map, key] of [
          [index, keyOf(object.kind, match.namespace, object.name)],
          [byName, keyOf(object.kind, undefined, object.name)],
        ] as const) {
          const list = map.get(key) ?? [];
          list.push(match);
          map.set(key, list);
        }
      }
    }
    this.indexes.set(unit, index);
    this.byName.set(unit, byName);
    return index;
  }

  /** The objects of `kind` called `name` the unit deploys, in any namespace (the asker's namespace is not known). */
  resolveAnyNamespace(unit: DeployableUnit, kind: string, name: string): UnitMatch[] {
    this.index(unit);
    return this.byName.get(unit)?.get(keyOf(kind, undefined, name)) ?? [];
  }

  /**
   * The objects of `kind` called `name` in `namespace` that the unit deploys. An object
   * whose namespace the unit leaves open (none of its own, no rule) matches any namespace:
   * it lands wherever the apply puts it.
   */
  resolveName(unit: DeployableUnit, kind: string, namespace: string | undefined, name: string): UnitMatch[] {
    const index = this.index(unit);
    if (CLUSTER_SCOPED_KINDS.has(kind)) return index.get(keyOf(kind, undefined, name)) ?? [];
    const exact = namespace === undefined ? [] : (index.get(keyOf(kind, namespace, name)) ?? []);
    return [...exact, ...(index.get(keyOf(kind, undefined, name)) ?? [])];
  }
}
