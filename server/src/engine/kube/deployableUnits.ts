import { basename, dirname, relative, resolve, sep } from 'node:path';
import { GuardedReader } from '../io/guardedRead';
import { getOrMake } from '../memo';
import { DeployPointer, KUSTOMIZATION_NAMES, KustomizationFile, mayPoint, readDeployPointers, readKustomization } from './kustomization';
import { FolderIndex, folderIndex, isRemote, isYamlName } from './repositoryFolders';

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
}

/** Kustomizations nest a few levels; a chain deeper than this is a generator's, or a trap. */
export const MAX_KUSTOMIZE_DEPTH = 32;
/** Memberships (file x unit) over all units: many overlays over a large base stop here, with a warning. */
export const MAX_UNIT_MEMBERSHIPS = 1_000_000;
const MAX_KUSTOMIZATION_BYTES = 4 * 1024 * 1024;

type Members = Map<string, NamespaceRule | undefined>;

/** The outer kustomization's namespace replaces the inner one's, as kustomize's transformers run inside out. */
function under(rule: NamespaceRule | undefined, inner: NamespaceRule | undefined): NamespaceRule | undefined {
  if (!rule) return inner;
  if (rule.override || !inner) return rule;
  return inner;
}

type Target = { file: string } | { kustomization: string } | SkippedResource['reason'];

class UnitBuilder {
  readonly skipped: SkippedResource[] = [];
  private readonly folders: FolderIndex;
  /** The root with a trailing separator: a resolved path under it is inside (a prefix test, not path.relative per entry). */
  private readonly rootPrefix: string;
  private readonly kustomizations = new Map<string, KustomizationFile | undefined>();
  /** Parsed by text: generated repositories repeat kustomizations verbatim (every base's `resources:` of the same file names). */
  private readonly byText = new Map<string, KustomizationFile | undefined>();
  /** Each kustomization's entries resolved once: both `included` and `expand` walk them. */
  private readonly targets = new Map<string, Target[]>();
  private readonly expanded = new Map<string, Members>();
  private readonly inProgress = new Set<string>();
  private memberships = 0;

  constructor(private readonly sources: UnitSources) {
    this.folders = folderIndex(sources.root, sources.files);
    const root = resolve(sources.root);
    this.rootPrefix = root.endsWith(sep) ? root : root + sep;
  }

  /** Whether a resolved path leads out of the repository (what path.relative would start with `..` for). */
  private outside(path: string): boolean {
    return path !== this.rootPrefix.slice(0, -1) && !path.startsWith(this.rootPrefix);
  }

  text(path: string): string | undefined {
    if (this.sources.text) return this.sources.text(path);
    try {
      const { bytes } = this.sources.reader.read(path, MAX_KUSTOMIZATION_BYTES);
      return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : undefined;
    } catch {
      return undefined; // refused, gone or not a file: not part of any unit
    }
  }

  kustomization(path: string): KustomizationFile | undefined {
    if (!this.kustomizations.has(path)) {
      const source = this.text(path);
      this.kustomizations.set(path, source === undefined ? undefined : getOrMake(this.byText, source, () => readKustomization(source)));
    }
    return this.kustomizations.get(path);
  }

  /** The kustomization file kustomize would read in a folder. */
  kustomizationIn(folder: string): string | undefined {
    const names = this.folders.files.get(folder);
    return KUSTOMIZATION_NAMES.map((n) => `${folder}${sep}${n}`).find((p) => names?.has(p) && this.kustomization(p));
  }

  allKustomizations(): string[] {
    return this.sources.files.filter((f) => KUSTOMIZATION_NAMES.includes(basename(f)) && this.kustomization(f));
  }

  /** Where a local entry leads: a listed file, a folder's kustomization, or why it is skipped. */
  private target(from: string, entry: string): Target {
    if (isRemote(entry)) return 'remote';
    const path = resolve(dirname(from), entry);
    if (this.outside(path)) return 'outside';
    if (this.folders.listed.has(path)) return isYamlName(path) ? { file: path } : 'missing';
    const kustomization = this.kustomizationIn(path);
    if (kustomization) return { kustomization };
    // Not in the listing: a link leading out, or a path the guard refuses, is skipped without reading it.
    return this.sources.reader.guard.check(path, 'read').ok ? 'missing' : 'outside';
  }

  /** A kustomization's entries with where each leads, in order. */
  private targetsOf(path: string, k: KustomizationFile): Target[] {
    let found = this.targets.get(path);
    if (!found) {
      found = k.entries.map((entry) => this.target(path, entry));
      this.targets.set(path, found);
    }
    return found;
  }

  /** The kustomizations a kustomization includes (no reading beyond their files). */
  included(path: string): string[] {
    const k = this.kustomization(path);
    return k ? this.targetsOf(path, k).flatMap((target) => (typeof target === 'object' && 'kustomization' in target ? [target.kustomization] : [])) : [];
  }

  private skip(from: string, entry: string, reason: SkippedResource['reason']): void {
    this.skipped.push({ from, entry, reason });
  }

  private add(members: Members, file: string, rule: NamespaceRule | undefined): void {
    if (members.has(file)) return;
    if (this.memberships >= MAX_UNIT_MEMBERSHIPS) return;
    this.memberships++;
    members.set(file, rule);
  }

  /** A kustomization's files with their namespace rules; memoised, so a shared base is read and walked once. */
  expand(path: string, depth = 0): Members {
    const done = this.expanded.get(path);
    if (done) return done;
    const members: Members = new Map();
    const k = this.kustomization(path);
    if (!k) return members;
    this.inProgress.add(path);
    const own = k.namespace ? { namespace: k.namespace, override: true } : undefined;
    const targets = this.targetsOf(path, k);
    for (const [i, entry] of k.entries.entries()) {
      const target = targets[i];
      if (typeof target === 'string') this.skip(path, entry, target);
      else if ('file' in target) this.add(members, target.file, own);
      else if (this.inProgress.has(target.kustomization)) this.skip(path, entry, 'cycle');
      else if (depth + 1 >= MAX_KUSTOMIZE_DEPTH) this.skip(path, entry, 'too-deep');
      else for (const [file, rule] of this.expand(target.kustomization, depth + 1)) this.add(members, file, under(own, rule));
    }
    if (this.memberships >= MAX_UNIT_MEMBERSHIPS) this.skip(path, '', 'too-many');
    this.inProgress.delete(path);
    this.expanded.set(path, members);
    return members;
  }

  /** The files a Flux Kustomization or Argo CD Application deploys, their namespace rule applied. */
  pointed(pointer: DeployPointer, via: string): { id: string; members: Members } | undefined {
    const folder = resolve(this.sources.root, pointer.path);
    if (this.outside(folder)) return void this.skip(via, pointer.path, 'outside');
    const rule = pointer.namespace ? { namespace: pointer.namespace, override: pointer.override } : undefined;
    const members: Members = new Map();
    const kustomization = this.kustomizationIn(folder);
    if (kustomization) {
      for (const [file, inner] of this.expand(kustomization)) this.add(members, file, under(rule, inner));
      return { id: kustomization, members };
    }
    if (!this.folders.children.has(folder) && !this.folders.files.has(folder)) return void this.skip(via, pointer.path, 'missing');
    this.collect(folder, pointer.recursive, rule, members);
    return { id: folder, members };
  }

  /** A folder's YAML files (and, recursively, its subfolders': a subfolder with a kustomization through it). */
  private collect(folder: string, recursive: boolean, rule: NamespaceRule | undefined, members: Members): void {
    const stack = [folder];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      const kustomization = dir === folder ? undefined : this.kustomizationIn(dir);
      if (kustomization) {
        for (const [file, inner] of this.expand(kustomization)) this.add(members, file, under(rule, inner));
        continue;
      }
      for (const file of this.folders.files.get(dir) ?? [])
        if (isYamlName(file) && !KUSTOMIZATION_NAMES.includes(basename(file))) this.add(members, file, rule);
      if (recursive) stack.push(...(this.folders.children.get(dir) ?? []));
    }
  }

  /** The folder deployed together with a file that no kustomization or controller names. */
  folderUnitOf(file: string): string {
    const parts = relative(this.sources.root, file).split(sep);
    if (parts.length > 2 && (parts[0] === 'clusters' || parts[0] === 'environments')) return resolve(this.sources.root, parts[0], parts[1]);
    return dirname(file);
  }
}

export class DeployableUnits {
  private readonly byFile = new Map<string, DeployableUnit[]>();

  constructor(
    readonly units: readonly DeployableUnit[],
    readonly skipped: readonly SkippedResource[],
  ) {
    for (const unit of units) {
      for (const file of unit.files.keys()) {
        const list = this.byFile.get(file) ?? [];
        list.push(unit);
        this.byFile.set(file, list);
      }
    }
  }

  /** The units a YAML file is deployed in: several for a shared base, none for a file outside every unit (a kustomization). */
  unitsOf(file: string): readonly DeployableUnit[] {
    return this.byFile.get(file) ?? [];
  }
}

function pointerUnits(builder: UnitBuilder, files: readonly string[]): DeployableUnit[] {
  const units: DeployableUnit[] = [];
  for (const via of files) {
    if (!isYamlName(via) || KUSTOMIZATION_NAMES.includes(basename(via))) continue;
    const source = builder.text(via);
    for (const pointer of source === undefined ? [] : readDeployPointers(source)) {
      const unit = builder.pointed(pointer, via);
      const origin = pointer.override ? 'flux' : 'argo';
      if (unit) units.push({ id: unit.id, origin, via, files: unit.members });
    }
  }
  return units;
}

/** The deployable units of a repository (see the comment at the top of this file). */
export function findDeployableUnits(sources: UnitSources): DeployableUnits {
  const builder = new UnitBuilder(sources);
  const kustomizations = builder.allKustomizations();
  // A kustomization that includes itself is still a top one; a loop of two has none (its files fall to their folder).
  const included = new Set(kustomizations.flatMap((k) => builder.included(k).filter((i) => i !== k)));
  const pointed = pointerUnits(builder, sources.files);
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
  return new DeployableUnits(units, builder.skipped);
}
