import { matchesSuffix, type ResolvedPath } from '../kube/nodePaths';
import type { ReferenceTarget } from './ruleContext';
import type { LoadedFile, Workspace } from './workspace';

/** What the previous check made a reference's target of: its resolution, the file it decoded, the listing it resolved in. */
export interface TargetSource {
  target: ReferenceTarget;
  /** Undefined when the target came from the reference alone (inline data, a setting, an unexpanded variable). */
  resolved?: ResolvedPath;
  loaded?: LoadedFile;
  files: readonly string[];
}

/**
 * Whether a target the previous check computed is the one this check would compute: the reference
 * resolves to the same path, and that file is the very object decoded then (the FileCache keeps it
 * while the file is unchanged; a watcher's change or a new stamp makes a new one). A target is a pure
 * function of these, so a re-check after a certificate changed decodes and judges that file's
 * references only, and its result equals a check from scratch.
 */
export function stillHolds(before: TargetSource, resolvedNow: ResolvedPath | undefined, workspace: Workspace): boolean {
  if (!before.resolved) return true;
  if (!resolvedNow || !sameResolution(before.resolved, resolvedNow)) return false;
  // A missing file's target reads the listing (a kubelet --config naming a folder of the tree).
  if (!resolvedNow.found && workspace.files !== before.files) return false;
  return before.loaded === undefined || workspace.loadedNow(before.loaded.path) === before.loaded;
}

function sameResolution(a: ResolvedPath, b: ResolvedPath): boolean {
  if (a.found !== b.found || a.path !== b.path) return false;
  return a.found ? a.via === (b as typeof a).via : a.reason === (b as typeof a).reason;
}

/** What a resolution asked of the listing: whether each of `paths` exists (normalised), and which `suffixes` it searched the whole listing for. */
export interface ListingProbes {
  paths: string[];
  suffixes: string[];
}

/** More added or removed paths than this (a branch switch): a suffix search is made again rather than matched against each. */
const MAX_CHANGED_FOR_SUFFIXES = 256;

/** The paths added or removed between two listings, once per pair (a removal the watcher reported: one path). */
const differences = new WeakMap<readonly string[], { before: readonly string[]; changed: ReadonlySet<string> }>();

export function changedPaths(before: readonly string[], after: readonly string[]): ReadonlySet<string> {
  const known = differences.get(after);
  if (known?.before === before) return known.changed;
  const [old, now] = [new Set(before), new Set(after)];
  const changed = new Set([...before.filter((f) => !now.has(f)), ...after.filter((f) => !old.has(f))]);
  differences.set(after, { before, changed });
  return changed;
}

/**
 * Whether a resolution made in listing `before` holds in `after`: it asked whether each of `probed.paths` exists and
 * searched the listing for `probed.suffixes` only, so it holds when no added or removed path is one of those paths or
 * matches one of those suffixes (a removed certificate leaves the tree's missing files' suffix searches as they were).
 */
export function untouched(probed: ListingProbes, before: readonly string[], after: readonly string[], boundary: string): boolean {
  const changed = changedPaths(before, after);
  if (probed.paths.some((path) => changed.has(path))) return false;
  if (probed.suffixes.length === 0) return true;
  if (changed.size > MAX_CHANGED_FOR_SUFFIXES) return false;
  return probed.suffixes.every((suffix) => ![...changed].some((path) => matchesSuffix(path, boundary, suffix)));
}
