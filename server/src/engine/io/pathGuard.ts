import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, resolve, sep } from 'node:path';

/**
 * The one decision on whether kube-pki may read or write a path. Every
 * request, command, fix and check goes through it, for every path it uses.
 * Paths are never compared as text: each is resolved with `realpath` of its
 * existing part first, so a symlink (at the file or at any parent folder)
 * counts where it leads, and a workspace under a symlinked home folder is
 * still itself.
 */

export type Access = 'read' | 'write';

export interface GuardPolicy {
  /** Folders whose files may be read: workspace folders (trusted or not), a node root's cluster folders. */
  readRoots: readonly string[];
  /** Single files that may be read: documents the user opened in the editor. */
  readFiles?: readonly string[];
  /** Folders where files may be written: trusted workspace folders, the CLI's output. Writes are also reads. */
  writeRoots: readonly string[];
  /** The CLI reads whatever its arguments name (the user typed them); the editor never does. */
  readAnywhere?: boolean;
  /** What the roots are, in the user's words: "the workspace folders" (default), "the output folder". */
  scope?: string;
}

/** Why a path was refused, in words for the user: "<path> is outside the workspace folders (...)". */
export class OutsideError extends Error {
  constructor(
    readonly path: string,
    readonly access: Access,
    /** What is wrong with it, as the rest of a sentence that starts with the path. */
    readonly reason: string,
    /** Outside the roots, or not resolvable at all (a symlink loop, a dangling link). */
    readonly kind: 'outside' | 'loop' | 'dangling' | 'unresolvable' = 'outside',
  ) {
    super(`${path} ${reason}`);
  }
}

/** Whether `path` is `root` or under it. Both must be absolute, normalised, real paths. */
export function isUnder(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

const MAX_MISSING_DEPTH = 4096;

/**
 * The real path of `path`: `realpath` of its longest existing prefix, then
 * the components that do not exist yet (a file about to be written, a folder
 * about to be made). A component that exists but cannot be resolved (a
 * dangling symlink, a loop) is an error: what it leads to is unknown.
 */
export function resolveReal(path: string): string {
  let missing: string[] = [];
  let current = resolve(path);
  for (let depth = 0; depth < MAX_MISSING_DEPTH; depth++) {
    try {
      const real = realpathSync.native(current);
      return missing.length === 0 ? real : resolve(real, ...missing.reverse());
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw new OutsideError(path, 'read', 'is a symlink loop', 'loop');
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new OutsideError(path, 'read', `cannot be resolved (${code ?? (e as Error).message})`, 'unresolvable');
      if (exists(current))
        throw new OutsideError(
          path,
          'read',
          current === resolve(path) ? 'is a symlink that leads nowhere' : `goes through ${current}, a symlink that leads nowhere`,
          'dangling',
        );
      const parent = dirname(current);
      if (parent === current) break;
      missing = [...missing, basename(current)];
      current = parent;
    }
  }
  throw new OutsideError(path, 'read', 'cannot be resolved', 'unresolvable');
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

export interface RealPolicy {
  readRoots: string[];
  readFiles: string[];
  writeRoots: string[];
  readAnywhere: boolean;
  scope?: string;
}

/**
 * The pure decision, on a real path and real roots: reads inside a read root,
 * a write root or one of the read files (or anywhere for the CLI); writes
 * inside a write root only. Undefined when allowed, else why not (the rest of
 * a sentence that starts with the path; `shown` is the path as the user gave it).
 */
export function refusal(real: string, access: Access, policy: RealPolicy, shown = real): string | undefined {
  const inWrite = policy.writeRoots.some((root) => isUnder(root, real));
  const inRead = policy.readRoots.some((root) => isUnder(root, real));
  const via = real === shown ? '' : ` (it leads to ${real})`;
  const scope = policy.scope ?? 'the workspace folders';
  const them = scope.endsWith('folders') ? 'them' : 'it';
  if (access === 'write') {
    if (inWrite) return undefined;
    if (inRead || policy.writeRoots.length === 0) return `is not in a trusted workspace folder${via}; kube-pki writes only there`;
    return `is outside ${scope}${via}; kube-pki writes only inside ${them}`;
  }
  if (policy.readAnywhere || inWrite || inRead || policy.readFiles.includes(real)) return undefined;
  return `is outside ${scope}${via}; kube-pki reads only inside ${them}`;
}

function realRoots(paths: readonly string[] | undefined): string[] {
  const roots: string[] = [];
  for (const path of paths ?? []) {
    try {
      roots.push(resolveReal(path));
    } catch {
      // A root that cannot be resolved (a dangling link) holds nothing to read or write.
    }
  }
  return roots;
}

/** A path's real path when it may be accessed, else the refusal (with the real path when it could be resolved). */
export type Verdict = { ok: true; real: string } | { ok: false; error: OutsideError; real?: string };

/** A policy with its roots resolved once; `check`, `forRead` and `forWrite` resolve each path they are asked about. */
export class PathGuard {
  readonly policy: RealPolicy;

  constructor(policy: GuardPolicy) {
    this.policy = {
      readRoots: realRoots(policy.readRoots),
      readFiles: realRoots(policy.readFiles),
      writeRoots: realRoots(policy.writeRoots),
      readAnywhere: !!policy.readAnywhere,
      scope: policy.scope,
    };
  }

  /** The CLI's guard: reads what its arguments name, writes only under the outputs it was given. */
  static forCli(outputs: readonly string[] = []): PathGuard {
    return new PathGuard({
      readRoots: [],
      writeRoots: outputs,
      readAnywhere: true,
      scope: outputs.length === 1 ? `the output folder ${outputs[0]}` : 'the output folders',
    });
  }

  /** The real path when `path` may be accessed so, else the refusal. Never throws. */
  check(path: string, access: Access): Verdict {
    let real: string;
    try {
      real = resolveReal(path);
    } catch (e) {
      const error = e instanceof OutsideError ? new OutsideError(path, access, e.reason, e.kind) : new OutsideError(path, access, String(e), 'unresolvable');
      return { ok: false, error };
    }
    return this.checkReal(path, real, access);
  }

  /**
   * The verdict on `path` when its real path is already known (the checker's reader: a folder that is no symlink,
   * in a folder resolved before): the same decision and words as `check`, without resolving again.
   */
  checkReal(path: string, real: string, access: Access): Verdict {
    const reason = refusal(real, access, this.policy, resolve(path));
    return reason === undefined ? { ok: true, real } : { ok: false, error: new OutsideError(path, access, reason), real };
  }

  /** The real path to read `path` at; throws OutsideError when it may not be read. */
  forRead(path: string): string {
    const verdict = this.check(path, 'read');
    if (!verdict.ok) throw verdict.error;
    return verdict.real;
  }

  /** The real path to write `path` at; throws OutsideError when it may not be written. */
  forWrite(path: string): string {
    const verdict = this.check(path, 'write');
    if (!verdict.ok) throw verdict.error;
    return verdict.real;
  }
}
