import { Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { PathGuard } from '../io/pathGuard';

/** Folders that never hold cluster configuration and can be huge. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.vscode-test', 'out', 'dist']);
export const MAX_TREE_FILES = 200_000;
/**
 * How long a check's synchronous reading and decoding may hold the event loop
 * before letting other work run. Short: a language server's JSON-RPC reader
 * handles one queued message per turn of the loop, so a storm of notifications
 * ahead of a hover drains at one message per slice.
 */
export const SLICE_MS = 2;

/** One turn of the event loop: how a slice ends unless the caller says otherwise. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface TreeListing {
  files: string[];
  /** Why some entries were left out (symlink loops, unreadable folders, too many files). */
  warnings: Array<{ path: string; message: string }>;
  /** Whether a path not listed was left out by the user's exclusion (exclusion.ts): a reference to it still resolves. */
  excluded?: (path: string) => boolean;
}

/** Whether the user excludes an entry (a folder is then not walked); see exclusion.ts. */
export type ExcludeEntry = (path: string, isDir: boolean) => boolean;

/**
 * Lists the regular files under the folders, following symlinks to files and
 * folders but never looping (real paths are remembered), never leaving the
 * tree through a link, and stopping at MAX_TREE_FILES. The calls are
 * synchronous (for many small folders several times faster than their
 * asynchronous forms); the walk lets other work run every few milliseconds.
 * What `exclude` names is left out, and an excluded folder is not walked.
 */
export async function listTree(roots: string[], pause: () => Promise<void> = nextTurn, exclude?: ExcludeEntry): Promise<TreeListing> {
  const files: string[] = [];
  const warnings: TreeListing['warnings'] = [];
  const seenDirs = new Set<string>();
  const realpath = realpathSync.native;
  // Links are followed only where the guard lets the check read: inside the roots, judged by real path.
  const guard = new PathGuard({ readRoots: roots, writeRoots: [] });
  let sliceStart = performance.now();

  /** `known`: the folder's real path when the caller knows it (a folder entry, no link, of a folder resolved before). */
  async function walk(dir: string, known?: string): Promise<void> {
    if (performance.now() - sliceStart > SLICE_MS) {
      await pause();
      sliceStart = performance.now();
    }
    let real: string;
    try {
      real = known ?? realpath(dir);
    } catch (e) {
      warnings.push({ path: dir, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
      return;
    }
    if (seenDirs.has(real)) return; // a symlink loop or a second link to the same folder
    seenDirs.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      warnings.push({ path: dir, message: `cannot list: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (files.length >= MAX_TREE_FILES) {
        warnings.push({ path: dir, message: `stopped after ${MAX_TREE_FILES} files` });
        return;
      }
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        // A folder entry is no link: its real path is ours plus its name, without a realpath per folder. The real paths
        // only find loops; what is read is judged again by the checker's reader (guardedRead.ts).
        if (!SKIPPED_DIRS.has(entry.name) && !exclude?.(path, true)) await walk(path, real.endsWith(sep) ? real + entry.name : real + sep + entry.name);
      } else if (entry.isFile()) {
        if (!exclude?.(path, false)) files.push(path);
      } else if (entry.isSymbolicLink()) {
        try {
          const verdict = guard.check(path, 'read');
          if (!verdict.ok) {
            // Links that leave the tree are not followed, and say nothing; a loop is worth a warning.
            if (verdict.error.kind === 'loop') warnings.push({ path, message: 'symlink loop' });
            continue;
          }
          const stat = statSync(path);
          if (exclude?.(path, stat.isDirectory())) continue;
          if (stat.isDirectory()) await walk(path);
          else if (stat.isFile()) files.push(path);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code !== 'ENOENT') warnings.push({ path, message: code === 'ELOOP' ? 'symlink loop' : `cannot follow link: ${code}` });
        }
      }
    }
  }
  for (const root of roots) await walk(root);
  return { files, warnings };
}
