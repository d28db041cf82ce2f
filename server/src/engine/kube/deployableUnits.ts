import { basename } from 'node:path';
import type { GuardedReader } from '../io/guardedRead';
import { getOrMake } from '../memo';
import { KUSTOMIZATION_NAMES, mayPoint, readDeployPointers } from './kustomization';
import { isYamlName } from './repositoryFolders';
import { type Members, type Membership, OUT, type PointerTarget, UnitBuilder, under } from './unitBuilder';

export { MAX_KUSTOMIZE_DEPTH, MAX_UNIT_MEMBERSHIPS, type Membership, OUT } from './unitBuilder';

/**
 * Which files are deployed together, so that links between objects (a webhook's
 * Service, an Ingress's Secret) are resolved inside one deployment and never
 * across clusters or overlays that hold same-named objects. A unit is:
 * - a top kustomization (one no other kustomization includes): its resources,
 *   bases and components, followed recursively; each kustomization's
 *   `namespace:` set on the objects below it, the outermost winning (as
 *   `kustomize build` does). A base used by two overlays is in both units;
 * - a folder a Flux Kustomization (spec.path, every YAML file below it,
 *   targetNamespace set on all) or an Argo CD Application (spec.source.path,
 *   the folder's own files unless directory.recurse, destination.namespace for
 *   objects without one) deploys, through its kustomization when it has one;
 * - for a file in none of these: the top folder under `clusters/` or
 *   `environments/` it is in, else its own folder.
 * Remote resources (URLs, git references) are skipped; a local one outside the
 * repository or refused by the guard is skipped, never read.
 *
 * Found lazily, per file asked (a check asks for the few files holding a webhook, an Ingress...): the
 * kustomizations including the file are found through a word index of their texts (kube/includerIndex.ts),
 * only those are parsed, and only the entries leading to the file are followed (UnitBuilder.ruleIn). `units`
 * and `skipped` give the whole repository at once, as found eagerly (tests hold the two to each other).
 */

/** The namespace a unit gives the objects of one file: set on all (`override`), or on those without one. */
export interface NamespaceRule {
  namespace: string;
  override: boolean;
}

export interface DeployableUnit {
  /** The kustomization file or the folder that defines the unit. */
  id: string;
  origin: 'kustomization' | 'flux' | 'argo' | 'folder';
  /** The Flux Kustomization or Argo CD Application file that deploys it. */
  via?: string;
  /** Member YAML files, with the namespace rule for their objects (undefined: their own namespace). */
  files: ReadonlyMap<string, NamespaceRule | undefined>;
}

export interface SkippedResource {
  /** The kustomization (or pointer) file that names it. */
  from: string;
  entry: string;
  reason: 'remote' | 'outside' | 'missing' | 'cycle' | 'too-deep' | 'too-many';
}

/**
 * Whether units are made of this file's text: a kustomization (by name) or a YAML file that may point a
 * controller at a folder. findDeployableUnits asks `text` for no other file, so a caller may keep these alone.
 */
export function definesUnits(path: string, source: string): boolean {
  return isYamlName(path) && (KUSTOMIZATION_NAMES.includes(basename(path)) || mayPoint(source));
}

export interface UnitSources {
  /** The repository's root: resources leading out of it are not followed. */
  root: string;
  /** The listed files (absolute paths, as scanTree lists them). */
  files: readonly string[];
  reader: GuardedReader;
  /** A file's text when the caller already has it (the checker's cache); else read through `reader`. */
  text?: (path: string) => string | undefined;
  /** The budget of memberships (eager) and includers examined (per file): MAX_UNIT_MEMBERSHIPS unless a test lowers it. */
  maxMemberships?: number;
}

/** A unit whose members are found only when asked for as a whole (`files`): a lookup asks ruleIn. */
class LazyUnit implements DeployableUnit {
  private made?: Members;
  constructor(
    readonly id: string,
    readonly origin: DeployableUnit['origin'],
    readonly via: string | undefined,
    private readonly make: () => Members,
  ) {
    if (via === undefined) delete (this as { via?: string }).via;
  }
  get files(): ReadonlyMap<string, NamespaceRule | undefined> {
    this.made ??= this.make();
    return this.made;
  }
}

interface Pointer {
  unit: DeployableUnit;
  target: PointerTarget;
}

/** Each Flux Kustomization / Argo CD Application of the listing, in order, made into what `make` builds of its target. */
function pointersOf<T>(builder: UnitBuilder, files: readonly string[], make: (target: PointerTarget, origin: 'flux' | 'argo', via: string) => T): T[] {
  const pointers: T[] = [];
  for (const via of files) {
    if (!isYamlName(via) || KUSTOMIZATION_NAMES.includes(basename(via))) continue;
    const source = builder.text(via);
    for (const pointer of source === undefined ? [] : readDeployPointers(source)) {
      const target = builder.pointerTarget(pointer, via);
      if (target) pointers.push(make(target, pointer.override ? 'flux' : 'argo', via));
    }
  }
  return pointers;
}

export class DeployableUnits {
  private readonly builder: UnitBuilder;
  private readonly pointers: Pointer[];
  private readonly pointedIds: Set<string>;
  private readonly kustomizationUnits = new Map<string, DeployableUnit>();
  private readonly folderUnits = new Map<string, DeployableUnit>();
  private readonly byFile = new Map<string, readonly DeployableUnit[]>();
  private readonly rules = new Map<DeployableUnit, (file: string) => Membership>();
  private listingOrder?: Map<string, number>;
  private eager?: { units: readonly DeployableUnit[]; skipped: readonly SkippedResource[] };

  constructor(private readonly sources: UnitSources) {
    this.builder = new UnitBuilder(sources);
    this.pointers = pointersOf(this.builder, sources.files, (target, origin, via) => ({
      target,
      unit: new LazyUnit(target.id, origin, via, () => this.builder.pointed(target)),
    }));
    this.pointedIds = new Set(this.pointers.map((p) => p.unit.id));
    for (const { unit, target } of this.pointers) {
      const kustomization = target.kustomization;
      const members = kustomization ? undefined : () => unit.files;
      this.rules.set(unit, (file) => {
        if (members) return members().has(file) ? members().get(file) : OUT;
        const inner = this.builder.ruleIn(kustomization!, file);
        return inner === OUT ? OUT : under(target.rule, inner);
      });
    }
  }

  /** The Flux Kustomization / Argo CD Application files that made a unit. */
  get pointerFiles(): ReadonlySet<string> {
    return new Set(this.pointers.map((p) => p.unit.via!));
  }

  /** The units a YAML file is deployed in: several for a shared base, none for a file outside every unit (a kustomization). */
  unitsOf(file: string): readonly DeployableUnit[] {
    return getOrMake(this.byFile, file, () => this.find(file));
  }

  /** The namespace rule a unit gives the file, OUT when it does not deploy it. */
  ruleIn(unit: DeployableUnit, file: string): Membership {
    const rule = this.rules.get(unit);
    return rule ? rule(file) : OUT;
  }

  private find(file: string): DeployableUnit[] {
    const found = this.pointers.filter((p) => this.ruleIn(p.unit, file) !== OUT).map((p) => p.unit);
    const order = this.order();
    const tops = this.builder
      .includersOf(file)
      .top.filter((k) => !this.pointedIds.has(k))
      .sort((a, b) => order.get(a)! - order.get(b)!);
    for (const k of tops) if (this.builder.ruleIn(k, file) !== OUT) found.push(this.kustomizationUnit(k));
    if (found.length > 0 || !this.builder.listed(file) || !isYamlName(file) || KUSTOMIZATION_NAMES.includes(basename(file))) return found;
    return [this.folderUnit(this.builder.folderUnitOf(file))];
  }

  private order(): Map<string, number> {
    this.listingOrder ??= new Map(this.sources.files.map((f, i) => [f, i]));
    return this.listingOrder;
  }

  private kustomizationUnit(k: string): DeployableUnit {
    return getOrMake(this.kustomizationUnits, k, () => {
      const unit = new LazyUnit(k, 'kustomization', undefined, () => this.builder.expand(k));
      this.rules.set(unit, (file) => this.builder.ruleIn(k, file));
      return unit;
    });
  }

  private folderUnit(id: string): DeployableUnit {
    return getOrMake(this.folderUnits, id, () => {
      const unit: DeployableUnit = new LazyUnit(id, 'folder', undefined, () => {
        const members: Members = new Map();
        for (const file of this.sources.files) if (this.unitsOf(file).includes(unit)) members.set(file, undefined);
        return members;
      });
      this.rules.set(unit, (file) => (this.unitsOf(file).includes(unit) ? undefined : OUT));
      return unit;
    });
  }

  /** Every unit of the repository, found eagerly (as a lookup of every file would): for tests and reports. */
  get units(): readonly DeployableUnit[] {
    this.eager ??= findEagerly(this.sources);
    return this.eager.units;
  }

  /** The entries skipped while finding every unit. */
  get skipped(): readonly SkippedResource[] {
    this.eager ??= findEagerly(this.sources);
    return this.eager.skipped;
  }
}

/** The units of the whole repository in one pass: every kustomization parsed, the top ones expanded. */
function findEagerly(sources: UnitSources): { units: DeployableUnit[]; skipped: SkippedResource[] } {
  const builder = new UnitBuilder(sources);
  const kustomizations = builder.allKustomizations();
  const included = new Set(kustomizations.flatMap((k) => builder.included(k).filter((i) => i !== k)));
  const pointed = pointersOf(builder, sources.files, (target, origin, via) => ({ id: target.id, origin, via, files: builder.pointed(target) }));
  const pointedIds = new Set(pointed.map((u) => u.id));
  const units: DeployableUnit[] = [...pointed];
  for (const k of kustomizations) {
    if (included.has(k) || pointedIds.has(k)) continue;
    units.push({ id: k, origin: 'kustomization', files: builder.expand(k) });
  }
  const covered = new Set(units.flatMap((u) => [...u.files.keys()]));
  const folders = new Map<string, Members>();
  for (const file of sources.files) {
    if (covered.has(file) || !isYamlName(file) || KUSTOMIZATION_NAMES.includes(basename(file))) continue;
    const folder = builder.folderUnitOf(file);
    const members = folders.get(folder) ?? new Map();
    members.set(file, undefined);
    folders.set(folder, members);
  }
  for (const [id, files] of folders) units.push({ id, origin: 'folder', files });
  return { units, skipped: builder.skipped };
}

/** The deployable units of a repository (see the comment at the top of this file), found as files are asked for. */
export function findDeployableUnits(sources: UnitSources): DeployableUnits {
  return new DeployableUnits(sources);
}
