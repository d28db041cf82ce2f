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

/** A unit's name indexes, with the object lists (one per file, in the unit's order) they were made from. */
interface UnitIndex {
  sources: ReadonlyArray<readonly NamedObject[]>;
  exact: Map<string, UnitMatch[]>;
  byName: Map<string, UnitMatch[]>;
}

/**
 * Names looked up inside one deployable unit. Each unit's index is built on its
 * first lookup, once (cost: the unit's objects), so lookups stay linear in the
 * repository however many links there are. Several matches mean ambiguous: no
 * finding, the hover lists them. Given the resolver of the previous check, a unit
 * whose files hold the same object lists (the same arrays: unchanged files) takes
 * its index from there: a keystroke re-indexes only the units of the edited file.
 */
export class UnitNameResolver {
  private readonly indexes = new Map<DeployableUnit, UnitIndex>();

  constructor(
    private readonly objectsOf: (file: string) => readonly NamedObject[],
    private previous?: UnitNameResolver,
  ) {}

  /** Forgets the previous check's indexes (they are not carried further than one check). */
  dropPrevious(): void {
    this.previous = undefined;
  }

  private index(unit: DeployableUnit): UnitIndex {
    let found = this.indexes.get(unit);
    if (found) return found;
    const sources = [...unit.files.keys()].map((file) => this.objectsOf(file));
    const before = this.previous?.indexes.get(unit);
    found = before && before.sources.every((list, i) => list === sources[i]) ? before : indexOf(unit, sources);
    this.indexes.set(unit, found);
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

function indexOf(unit: DeployableUnit, sources: ReadonlyArray<readonly NamedObject[]>): UnitIndex {
  const exact = new Map<string, UnitMatch[]>();
  const byName = new Map<string, UnitMatch[]>();
  let i = 0;
  for (const rule of unit.files.values()) {
    for (const object of sources[i++]) {
      const match = { object, namespace: effectiveNamespace(rule, object) };
      for (const [map, key] of [
        [exact, keyOf(object.kind, match.namespace, object.name)],
        [byName, keyOf(object.kind, undefined, object.name)],
      ] as const) {
        const list = map.get(key);
        if (list) list.push(match);
        else map.set(key, [match]);
      }
    }
  }
  return { sources, exact, byName };
}
