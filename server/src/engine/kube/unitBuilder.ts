import { basename, dirname, relative, resolve, sep } from 'node:path';
import { getOrMake } from '../memo';
import type { NamespaceRule, SkippedResource, UnitSources } from './deployableUnits';
import { IncluderIndex, lastSegments } from './includerIndex';
import type { DeployPointer, KustomizationFile } from './kustomization';
import { KUSTOMIZATION_NAMES, readKustomization } from './kustomization';
import { FolderIndex, folderIndex, isRemote, isYamlName } from './repositoryFolders';

/** Kustomizations nest a few levels; a chain deeper than this is a generator's, or a trap. */
export const MAX_KUSTOMIZE_DEPTH = 32;
/** Memberships (file x unit) over all units: many overlays over a large base stop here, with a warning. */
export const MAX_UNIT_MEMBERSHIPS = 1_000_000;
const MAX_KUSTOMIZATION_BYTES = 4 * 1024 * 1024;

/** The kustomizations including a file (transitively), and the top ones among them (no other member includes them). */
export interface Includers {
  all: ReadonlySet<string>;
  top: readonly string[];
}

/** A pointer's unit: its folder's kustomization (id) or the folder (id), and the rule it sets. */
export interface PointerTarget {
  id: string;
  kustomization?: string;
  rule: NamespaceRule | undefined;
  recursive: boolean;
}

export type Members = Map<string, NamespaceRule | undefined>;

/** Not a member of the unit asked about. */
export const OUT = Symbol('out');
export type Membership = NamespaceRule | undefined | typeof OUT;

/** The outer kustomization's namespace replaces the inner one's, as kustomize's transformers run inside out. */
export function under(rule: NamespaceRule | undefined, inner: NamespaceRule | undefined): NamespaceRule | undefined {
  if (!rule) return inner;
  if (rule.override || !inner) return rule;
  return inner;
}

type Target = { file: string } | { kustomization: string } | SkippedResource['reason'];

export class UnitBuilder {
  readonly skipped: SkippedResource[] = [];
  private readonly folders: FolderIndex;
  /** The root with a trailing separator: a resolved path under it is inside (a prefix test, not path.relative per entry). */
  private readonly rootPrefix: string;
  private readonly kustomizations = new Map<string, KustomizationFile | undefined>();
  /** Parsed by text: generated repositories repeat kustomizations verbatim (every base's `resources:` of the same file names). */
  private readonly byText = new Map<string, KustomizationFile | undefined>();
  /** Each kustomization's entries resolved once, as they are asked for: `included`, `expand`, the per-file walks. */
  private readonly targets = new Map<string, Array<Target | undefined>>();
  private readonly expanded = new Map<string, Members>();
  private readonly inProgress = new Set<string>();
  private memberships = 0;
  /** Includers examined by the per-file lookups, over all files: bounded like the eager memberships. */
  private lookupWork = 0;
  private readonly maxMemberships: number;
  private includerIndex?: IncluderIndex;
  /** Per file: the kustomizations including it (transitively), and its rule in each one asked. */
  private readonly includers = new Map<string, Includers>();
  private readonly restricted = new Map<string, Map<string, Membership>>();
  private readonly restrictedInProgress = new Set<string>();
  private readonly byResolvedPath = new Map<string, Map<string, number[]>>();
  private readonly folderOfAncestors = new WeakMap<ReadonlySet<string>, string[]>();

  constructor(private readonly sources: UnitSources) {
    this.maxMemberships = sources.maxMemberships ?? MAX_UNIT_MEMBERSHIPS;
    this.folders = folderIndex(sources.root, sources.files);
    const root = resolve(sources.root);
    this.rootPrefix = root.endsWith(sep) ? root : root + sep;
  }

  listed(path: string): boolean {
    return this.folders.listed.has(path);
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
  targetsOf(path: string, k: KustomizationFile): Target[] {
    return k.entries.map((_, i) => this.targetAt(path, k, i));
  }

  /** Where entry `i` of a kustomization leads, resolved once: a lookup resolves only the entries that may lead to its file. */
  private targetAt(path: string, k: KustomizationFile, i: number): Target {
    const known = getOrMake(this.targets, path, () => new Array<Target | undefined>(k.entries.length));
    known[i] ??= this.target(path, k.entries[i]);
    return known[i];
  }

  /** Every listed kustomization's text indexed by its words, once (no parse). */
  private index(): IncluderIndex {
    if (!this.includerIndex) {
      const { listed, files } = this.folders;
      this.includerIndex = new IncluderIndex((path) => listed.has(path) || files.has(path), lastSegments([...listed, ...files.keys()]));
      for (const file of this.sources.files) {
        if (!KUSTOMIZATION_NAMES.includes(basename(file))) continue;
        const source = this.text(file);
        if (source !== undefined) this.includerIndex.add(file, source);
      }
    }
    return this.includerIndex;
  }

  /**
   * The kustomizations that include a file, directly or through others: the index's candidates for its path are
   * parsed and resolved, then the same upward for each includer found, until none is new. Upward closed: any
   * kustomization including a member is a member. `top`: the members no other member includes.
   */
  includersOf(file: string): Includers {
    const done = this.includers.get(file);
    if (done) return done;
    const found = new Set<string>();
    const included = new Set<string>();
    const queue: Array<{ path: string; isFile: boolean }> = [{ path: file, isFile: true }];
    while (queue.length > 0) {
      const { path, isFile } = queue.pop()!;
      for (const candidate of this.index().candidates(isFile ? path : dirname(path))) {
        // Many overlays over a large base, every file asked: past the budget a file gets the includers found so far.
        if (++this.lookupWork > this.maxMemberships) {
          queue.length = 0;
          break;
        }
        if (!this.leadsTo(candidate, path, isFile)) continue;
        // A kustomization that includes itself is still a top one; a loop of two has none.
        if (!isFile && candidate !== path) included.add(path);
        if (found.has(candidate)) continue;
        found.add(candidate);
        queue.push({ path: candidate, isFile: false });
      }
    }
    const made = { all: found, top: [...found].filter((k) => !included.has(k)) };
    this.includers.set(file, made);
    return made;
  }

  /** Each kustomization's entries by the path they resolve to (no entry's folder parsed): an includer is checked by lookup. */
  private entriesByPath(path: string, k: KustomizationFile): Map<string, number[]> {
    return getOrMake(this.byResolvedPath, path, () => {
      const byPath = new Map<string, number[]>();
      k.entries.forEach((entry, i) => {
        if (!isRemote(entry)) getOrMake(byPath, resolve(dirname(path), entry), () => []).push(i);
      });
      return byPath;
    });
  }

  /** Whether kustomization `from` has an entry leading to the file `to` (isFile) or to the kustomization `to`. */
  private leadsTo(from: string, to: string, isFile: boolean): boolean {
    const k = this.kustomization(from);
    if (!k) return false;
    const entries = this.entriesByPath(from, k).get(isFile ? to : dirname(to)) ?? [];
    return entries.some((i) => this.leads(this.targetAt(from, k, i), to, isFile));
  }

  private leads(target: Target, to: string, isFile: boolean): boolean {
    return typeof target === 'object' && (isFile ? 'file' in target && target.file === to : 'kustomization' in target && target.kustomization === to);
  }

  /** The rule `file` gets in kustomization `path`'s expansion (expand restricted to the entries leading to it), or OUT. */
  ruleIn(path: string, file: string): Membership {
    const ancestors = this.includersOf(file).all;
    if (!ancestors.has(path)) return OUT;
    return this.restrictedExpand(
      path,
      file,
      ancestors,
      getOrMake(this.restricted, file, () => new Map()),
      0,
    );
  }

  /** expand's walk, in its order and with its cycle and depth limits, entering only kustomizations that include the file. */
  private restrictedExpand(path: string, file: string, ancestors: ReadonlySet<string>, memo: Map<string, Membership>, depth: number): Membership {
    if (memo.has(path)) return memo.get(path);
    const k = this.kustomization(path);
    if (!k) return OUT;
    this.restrictedInProgress.add(path);
    const own = ownRule(k);
    let result: Membership = OUT;
    // Only an entry resolving to the file or to an including kustomization's folder can lead to the file: those, in order.
    const byPath = this.entriesByPath(path, k);
    const leading = [file, ...getOrMake(this.folderOfAncestors, ancestors, () => [...new Set([...ancestors].map((a) => dirname(a)))])]
      .flatMap((at) => byPath.get(at) ?? [])
      .sort((a, b) => a - b);
    for (const i of leading) {
      const target = this.targetAt(path, k, i);
      if (typeof target === 'string') continue;
      if ('file' in target) {
        if (target.file !== file) continue;
        result = own;
        break;
      }
      const inner = target.kustomization;
      if (!ancestors.has(inner) || this.restrictedInProgress.has(inner) || depth + 1 >= MAX_KUSTOMIZE_DEPTH) continue;
      const rule = this.restrictedExpand(inner, file, ancestors, memo, depth + 1);
      if (rule === OUT) continue;
      result = under(own, rule);
      break;
    }
    this.restrictedInProgress.delete(path);
    memo.set(path, result);
    return result;
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
    if (this.memberships >= this.maxMemberships) return;
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
    const own = ownRule(k);
    const targets = this.targetsOf(path, k);
    for (const [i, entry] of k.entries.entries()) {
      const target = targets[i];
      if (typeof target === 'string') this.skip(path, entry, target);
      else if ('file' in target) this.add(members, target.file, own);
      else if (this.inProgress.has(target.kustomization)) this.skip(path, entry, 'cycle');
      else if (depth + 1 >= MAX_KUSTOMIZE_DEPTH) this.skip(path, entry, 'too-deep');
      else for (const [file, rule] of this.expand(target.kustomization, depth + 1)) this.add(members, file, under(own, rule));
    }
    if (this.memberships >= this.maxMemberships) this.skip(path, '', 'too-many');
    this.inProgress.delete(path);
    this.expanded.set(path, members);
    return members;
  }

  /** Where a Flux Kustomization or Argo CD Application leads (its folder's kustomization, else the folder), without expanding it. */
  pointerTarget(pointer: DeployPointer, via: string): PointerTarget | undefined {
    const folder = resolve(this.sources.root, pointer.path);
    if (this.outside(folder)) return void this.skip(via, pointer.path, 'outside');
    const rule = pointer.namespace ? { namespace: pointer.namespace, override: pointer.override } : undefined;
    const kustomization = this.kustomizationIn(folder);
    if (kustomization) return { id: kustomization, kustomization, rule, recursive: pointer.recursive };
    if (!this.folders.children.has(folder) && !this.folders.files.has(folder)) return void this.skip(via, pointer.path, 'missing');
    return { id: folder, rule, recursive: pointer.recursive };
  }

  /** The files a pointer deploys, their namespace rule applied. */
  pointed(target: PointerTarget): Members {
    const members: Members = new Map();
    if (target.kustomization) {
      for (const [file, inner] of this.expand(target.kustomization)) this.add(members, file, under(target.rule, inner));
    } else this.collect(target.id, target.recursive, target.rule, members);
    return members;
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

/** The rule a kustomization's own `namespace:` sets on everything below it (kustomize's namespace transformer). */
function ownRule(k: KustomizationFile): NamespaceRule | undefined {
  return k.namespace ? { namespace: k.namespace, override: true } : undefined;
}
