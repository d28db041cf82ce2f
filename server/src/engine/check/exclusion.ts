import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import ignore, { Ignore } from 'ignore';
import { Minimatch } from 'minimatch';
import { readRegularFile } from '../io/guardedRead';
import { PathGuard } from '../io/pathGuard';

/** What the user leaves out of a check: globs relative to the checked folder, and .gitignore'd paths unless turned off. */
export interface ExclusionOptions {
  /** Globs (`**` `*` `?` `{a,b}`), relative to the checked folder: .kube-pki.yaml's exclude, kubePki.exclude, files.exclude, --exclude. */
  patterns: readonly string[];
  /** Honour .gitignore files (inside a git work tree only, as ripgrep does). */
  gitignore: boolean;
}

/** Larger than any hand-written .gitignore: a bigger one is not read. */
const MAX_GITIGNORE_BYTES = 1024 * 1024;

/** The nearest folder at or above `dir` holding `.git` (a folder, or a worktree's file); undefined outside a git work tree. */
function gitTop(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

function posixRelative(base: string, path: string): string {
  const rel = path.slice(base.length + 1);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/** A glob minimatch would run for every entry of the walk, or the name it amounts to (`**\/.git`: any entry named .git). */
type Glob = Minimatch | { name: string };

/** `**\/NAME` with no magic in NAME (VS Code's files.exclude defaults are all such): an entry whose last segment is NAME. */
const ANY_NAMED = /^\*\*\/([^*?[\]{}()!+@\\/]+)$/;

function globOf(pattern: string): Glob {
  const named = ANY_NAMED.exec(pattern);
  return named ? { name: named[1] } : new Minimatch(pattern, { dot: true });
}

/**
 * Decides which paths of a checked folder are not discovered as documents. Both
 * libraries compile patterns to regular expressions that are run over PATHS (short,
 * and bounded by the file system), never over file content. A folder that is
 * excluded is not walked at all; a reference naming an excluded file still resolves
 * (see `covers`).
 */
export class Exclusion {
  private readonly globs: Glob[];
  /** The git work tree's top folder when .gitignore files are honoured. */
  private top: string | undefined;
  /** Per folder, the .gitignore files that apply from the top down: [folder, rules]. */
  private readonly chains = new Map<string, Array<[string, Ignore]>>();
  private readonly guard: PathGuard;

  constructor(
    readonly root: string,
    options: ExclusionOptions,
  ) {
    this.globs = options.patterns.filter((p) => p.trim() !== '').map((p) => globOf(p.trim().replace(/^\.\//, '')));
    this.top = options.gitignore ? gitTop(root) : undefined;
    // The folder's own .gitignore files, and those of the folders above it up to the work tree's top: nothing else.
    const above: string[] = [];
    for (let d = dirname(root); this.top !== undefined && d.length >= this.top.length && d !== root; d = dirname(d)) {
      above.push(join(d, '.gitignore'));
      if (d === this.top || dirname(d) === d) break;
    }
    this.guard = new PathGuard({ readRoots: [root], readFiles: above, writeRoots: [] });
    // A folder checked by name is checked even when git ignores it (ripgrep searches a path it is given): its .gitignore files are not honoured.
    if (this.top !== undefined && root !== this.top && this.gitIgnores(root, true)) this.top = undefined;
  }

  /** Nothing to exclude: the walk can skip asking. */
  get empty(): boolean {
    return this.globs.length === 0 && this.top === undefined;
  }

  /** Whether this entry is excluded, its folders being walked (not excluded) already. */
  excludes(path: string, isDir: boolean): boolean {
    if (path.length <= this.root.length || !path.startsWith(this.root + sep)) return false;
    const rel = posixRelative(this.root, path);
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    // A named glob is a string comparison: minimatch's match of each glob was most of the walk's cost on 50,000 files.
    if (this.globs.some((g) => ('name' in g ? g.name === name : g.match(rel) || (isDir && g.match(`${rel}/`))))) return true;
    return this.top !== undefined && this.gitIgnores(path, isDir);
  }

  /** Whether the path or one of its folders under the root is excluded: for a reference to a file the walk did not list. */
  covers(path: string): boolean {
    if (!path.startsWith(this.root + sep)) return false;
    const folders: string[] = [];
    for (let d = dirname(path); d.length > this.root.length; d = dirname(d)) folders.unshift(d);
    return folders.some((d) => this.excludes(d, true)) || this.excludes(path, false);
  }

  /** Git's order: the deepest .gitignore that says anything about the path decides (a `!` pattern re-includes). */
  private gitIgnores(path: string, isDir: boolean): boolean {
    let ignored = false;
    for (const [folder, rules] of this.chainOf(dirname(path))) {
      const verdict = rules.test(posixRelative(folder, path) + (isDir ? '/' : ''));
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
    return ignored;
  }

  private chainOf(dir: string): Array<[string, Ignore]> {
    const known = this.chains.get(dir);
    if (known) return known;
    const top = this.top as string;
    const parent = dirname(dir);
    const inherited = dir === top || parent === dir || dir.length < top.length ? [] : this.chainOf(parent);
    const own = this.rulesOf(dir);
    const chain = own ? [...inherited, [dir, own] as [string, Ignore]] : inherited;
    this.chains.set(dir, chain);
    return chain;
  }

  private rulesOf(dir: string): Ignore | undefined {
    try {
      const { bytes } = readRegularFile(join(dir, '.gitignore'), this.guard, MAX_GITIGNORE_BYTES);
      return bytes && ignore().add(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    } catch {
      return undefined; // absent, unreadable or outside what the check may read
    }
  }
}
