import { basename, posix } from 'node:path';
import { GuardedReader } from '../io/guardedRead';
import { PathGuard } from '../io/pathGuard';
import { type DeployableUnit, DeployableUnits, findDeployableUnits, OUT } from '../kube/deployableUnits';
import type { ApiObject } from '../kube/kinds';
import { KUSTOMIZATION_NAMES } from '../kube/kustomization';
import { isYamlName } from '../kube/repositoryFolders';
import { effectiveNamespace, UnitNameResolver } from '../kube/unitNames';
import { getOrMake } from '../memo';
import type { ObjectModel } from './objectModel';

/**
 * The one place both joins (check/objectLinks.ts, check/ingressLinks.ts) learn which objects are deployed
 * together: the repository's deployable units (kube/deployableUnits.ts: top kustomizations with their bases
 * and `namespace:`, Flux/Argo folders, clusters/<x> or environments/<x> trees, else the file's folder), and
 * names resolved inside one unit (kube/unitNames.ts). A base used by two overlays is seen once from each.
 */

/** What a lookup reads: the tree's listing (for the units), its files' text, and its objects. */
export interface UnitScope {
  workspace: {
    files: string[];
    boundary: string;
    unitText(path: string, maxBytes: number): string | undefined;
    /** What each file was made from (aligned with files): tells which files changed since the units were found. */
    versions?: readonly unknown[];
  };
  objects: ObjectModel;
}

/** One unit as seen from an object deployed in it: the namespace the object lands in there (undefined: the apply's). */
export interface UnitView {
  unit: DeployableUnit;
  namespace?: string;
}

const MAX_UNIT_SOURCE_BYTES = 4 * 1024 * 1024;

/** The units found for a listing, with the file versions they were found from and the Flux/Argo files that made units. */
interface ListingUnits {
  units: DeployableUnits;
  versions?: readonly unknown[];
  pointerFiles: ReadonlySet<string>;
}

/**
 * The units of a tree listing, computed once for it: kustomizations and Flux/Argo pointers are read through the check's reader.
 * A language server keeps the listing while files change: the units are found again when a changed file defines units.
 */
const unitsOfListing = new WeakMap<string[], ListingUnits>();

/** How often the units were found (tests: a keystroke in a plain manifest finds them not again). */
export const unitWork = { found: 0 };

function unitsOf(scope: UnitScope): DeployableUnits {
  const { files, boundary, versions } = scope.workspace;
  const found = unitsOfListing.get(files);
  if (found && (found.versions === versions || !definesUnitsChanged(scope, found))) {
    found.versions = versions;
    return found.units;
  }
  unitWork.found++;
  const units = findDeployableUnits({
    root: boundary,
    files,
    // Only its guard is asked (is a path outside the listing readable?): texts come from the workspace.
    reader: new GuardedReader(new PathGuard({ readRoots: [boundary], writeRoots: [] })),
    text: (path) => scope.workspace.unitText(path, MAX_UNIT_SOURCE_BYTES),
  });
  unitsOfListing.set(files, { units, versions, pointerFiles: units.pointerFiles });
  return units;
}

/**
 * Whether a file changed since `found` was made is one the units depend on: a kustomization, a file whose
 * Flux Kustomization or Argo CD Application made a unit, or a file that now holds one. Unknown versions: yes.
 */
function definesUnitsChanged(scope: UnitScope, found: ListingUnits): boolean {
  const { files, versions } = scope.workspace;
  if (!versions || !found.versions) return true;
  for (let i = 0; i < files.length; i++) {
    if (versions[i] === found.versions[i]) continue;
    const file = files[i];
    if (!isYamlName(file)) continue;
    if (KUSTOMIZATION_NAMES.includes(basename(file)) || found.pointerFiles.has(file)) return true;
    // The scan kept its text only if it defines units now (definesUnits).
    if (scope.workspace.unitText(file, MAX_UNIT_SOURCE_BYTES) !== undefined) return true;
  }
  return false;
}

/** An object a unit deploys, in the namespace it lands in there. */
export type UnitMember = { object: ApiObject; namespace?: string };

/** Per object model: each unit's objects (found from the objects' side: only their files' units are looked up) and name index. */
interface Indexes {
  units: DeployableUnits;
  names: UnitNameResolver;
  byUnit?: Map<DeployableUnit, UnitMember[]>;
  /** A file in no unit (not a YAML name): a unit of its own, made once. */
  alone: Map<string, DeployableUnit>;
}
const indexesOfModel = new WeakMap<ObjectModel, Indexes>();
/** The file-alone units of the last check made with these units: a keystroke keeps them (the same unit objects). */
const aloneOfUnits = new WeakMap<DeployableUnits, Map<string, DeployableUnit>>();

function indexes(scope: UnitScope): Indexes {
  const units = unitsOf(scope);
  const found = indexesOfModel.get(scope.objects);
  if (found?.units === units) return found;
  const alone = getOrMake(aloneOfUnits, units, () => new Map());
  const made: Indexes = { units, alone, names: new UnitNameResolver((unit) => membersOf(scope, made, unit)) };
  indexesOfModel.set(scope.objects, made);
  return made;
}

/** The objects a unit deploys, in the tree's order: every object's units asked once per object model. */
function membersOf(scope: UnitScope, made: Indexes, unit: DeployableUnit): readonly UnitMember[] {
  if (!made.byUnit) {
    made.byUnit = new Map();
    for (const object of scope.objects.objects)
      for (const view of unitViews(scope, object)) getOrMake(made.byUnit, view.unit, () => []).push({ object, namespace: view.namespace });
  }
  return made.byUnit.get(unit) ?? [];
}

/** The units `from` is deployed in (several for a shared base), each with the namespace it lands in there. */
export function unitViews(scope: UnitScope, from: ApiObject): UnitView[] {
  const { units, alone } = indexes(scope);
  const list = units.unitsOf(from.file);
  if (list.length === 0) {
    const unit = getOrMake(alone, from.file, () => ({ id: from.file, origin: 'folder' as const, files: new Map([[from.file, undefined]]) }));
    return [{ unit, namespace: effectiveNamespace(undefined, from) }];
  }
  return list.map((unit) => {
    const rule = units.ruleIn(unit, from.file);
    return { unit, namespace: effectiveNamespace(rule === OUT ? undefined : rule, from) };
  });
}

/**
 * The objects of `kind` called `name` deployed in the unit, in `namespace` (undefined: the asker's namespace there;
 * when that is not known either, any). One is a link, several are ambiguous, none is not in the workspace.
 */
export function resolveInUnit(scope: UnitScope, view: UnitView, kind: string, namespace: string | undefined, name: string): ApiObject[] {
  const { names } = indexes(scope);
  const wanted = namespace ?? view.namespace;
  const matches = wanted === undefined ? names.resolveAnyNamespace(view.unit, kind, name) : names.resolveName(view.unit, kind, wanted, name);
  return matches.map((m) => m.object as ApiObject);
}

/** Every object the unit deploys, with the namespace it lands in (undefined: the apply's). */
export function unitMembers(scope: UnitScope, unit: DeployableUnit): ReadonlyArray<UnitMember> {
  const made = indexes(scope);
  return membersOf(scope, made, unit);
}

/** A namespace matches another unless both are known and differ (an object without one lands wherever the apply puts it). */
export const sameNamespace = (a: string | undefined, b: string | undefined) => a === undefined || b === undefined || a === b;

/** "clusters/prod/kustomization.yaml": how a hover names a unit. */
export function unitName(scope: UnitScope, unit: DeployableUnit): string {
  return posix.relative(scope.workspace.boundary, unit.id) || '.';
}
