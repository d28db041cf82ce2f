import { posix } from 'node:path';
import { KUSTOMIZATION_NAMES } from '../kube/kustomization';
import { getOrMake } from '../memo';

/** The tree listing a unit is found in: its files (absolute) and the checked folder. */
export interface UnitScope {
  workspace: { files: string[]; boundary: string };
}

const kustomizedFolders = new WeakMap<string[], Set<string>>();
/** Each file's unit, once per tree listing: lookups compare it for every candidate object. */
const unitsOfFiles = new WeakMap<string[], Map<string, string>>();

/**
 * The folder an object's names resolve within: the nearest folder above its file that holds a kustomization
 * (one deployable unit), else the whole tree. Same-named objects of another cluster or overlay are never linked.
 */
export function unitOf(scope: UnitScope, file: string): string {
  return getOrMake(
    getOrMake(unitsOfFiles, scope.workspace.files, () => new Map<string, string>()),
    file,
    () => findUnit(scope, file),
  );
}

function findUnit(scope: UnitScope, file: string): string {
  const kustomized = getOrMake(
    kustomizedFolders,
    scope.workspace.files,
    () => new Set(scope.workspace.files.filter((f) => KUSTOMIZATION_NAMES.includes(posix.basename(f))).map((f) => posix.dirname(f))),
  );
  for (let dir = posix.dirname(file); dir.startsWith(scope.workspace.boundary) && dir !== posix.dirname(dir); dir = posix.dirname(dir))
    if (kustomized.has(dir)) return dir;
  return scope.workspace.boundary;
}
