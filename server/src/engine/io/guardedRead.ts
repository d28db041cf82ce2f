import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, Stats } from 'node:fs';
import { basename, dirname, resolve, sep } from 'node:path';
import { OutsideError, PathGuard } from './pathGuard';

/** A file read within bounds: its bytes (undefined when larger than asked), its stat, the real path read. */
export interface ReadResult {
  stat: Stats;
  bytes?: Uint8Array;
  real: string;
}

export class NotRegularFileError extends Error {
  readonly code = 'ENOTREG';
  constructor(readonly path: string) {
    super(`${path} is not a regular file`);
  }
}

// Non-blocking: a FIFO swapped in since the listing must not hang the read. No-follow: the path
// handed to open is already real, so a symlink there now was swapped in after the guard looked.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/**
 * Reads a regular file, at most `maxBytes` of it, through the guard. Devices,
 * FIFOs, sockets and folders are refused after opening (fstat of what was
 * opened, not a stat of the name before), and reading stops at the limit even
 * if the file grows meanwhile: /dev/zero or a growing log costs nothing.
 * Throws OutsideError, NotRegularFileError or the file system's error.
 */
export function readRegularFile(path: string, guard: PathGuard, maxBytes: number, head = false): ReadResult {
  const real = guard.forRead(path);
  return readOpened(openSync(real, OPEN_FLAGS), real, maxBytes, head);
}

/** `head`: the first `maxBytes` of a larger file instead of none (to recognise what is too large to read whole). */
function readOpened(fd: number, real: string, maxBytes: number, head = false): ReadResult {
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw Object.assign(new Error(`${real} is a directory`), { code: 'EISDIR' });
    if (!stat.isFile()) throw new NotRegularFileError(real);
    if (stat.size > maxBytes && !head) return { stat, real };
    // One byte past the limit tells a file that grew since fstat from one that did not.
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(stat.size + 1, 1)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) break;
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      // Short of the room asked with exactly the size fstat gave: a regular file's end, where a second read would
      // return 0 (one syscall per file saved). A file that grew before this read filled the extra byte instead.
      if (length === stat.size && length < buffer.length) break;
    }
    if (length > maxBytes) return head ? { stat, bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, maxBytes), real } : { stat, real };
    return { stat, bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, length), real };
  } finally {
    closeSync(fd);
  }
}

/** A folder as the reader judged it: why it may not be read (undefined: it may), its real path when it could be resolved. */
interface FolderVerdict {
  refused?: OutsideError;
  real?: string;
}

/**
 * The checker's reader: many files of a few folders, each read through the
 * guard. A listed file is opened by its own name without following a symlink
 * there, and its folder is judged once per check, so a cold check of 50,000
 * files pays one look per folder, not per file. A file listed as regular
 * that is now a symlink is resolved and judged again before it is read.
 */
export class GuardedReader {
  private readonly folders = new Map<string, FolderVerdict>();

  constructor(readonly guard: PathGuard) {}

  /** A file outside the listing (a node's etc/hostname), judged by its own real path. */
  readFile(path: string, maxBytes: number): ReadResult {
    return readRegularFile(path, this.guard, maxBytes);
  }

  /** `head`: the first `maxBytes` of a larger file instead of none. */
  read(path: string, maxBytes: number, head = false): ReadResult {
    const { refused } = this.judge(dirname(path));
    if (refused) throw new OutsideError(path, 'read', refused.reason);
    let fd: number;
    try {
      fd = openSync(path, OPEN_FLAGS);
    } catch (e) {
      // The file itself is a symlink (listed through one, or swapped in since): judge where it leads.
      if ((e as NodeJS.ErrnoException).code === 'ELOOP') return readRegularFile(path, this.guard, maxBytes, head);
      throw e;
    }
    return readOpened(fd, path, maxBytes, head);
  }

  /**
   * A folder's verdict, once per check. A folder that is no symlink (lstat) has its parent's real path plus its name:
   * the guard then decides on that real path exactly as on realpath's (PathGuard.checkReal, same policy, same words),
   * without a realpath of every component of every folder (a deep tree paid one per folder). A symlink, or a folder
   * whose parent could not be resolved, is resolved by the guard itself. As safe as before: a folder swapped for a link
   * after it was judged was not seen by the per-folder cache either, and a file is still opened without following a link.
   */
  private judge(folder: string): FolderVerdict {
    const known = this.folders.get(folder);
    if (known) return known;
    const parent = dirname(folder);
    const above = parent === folder ? undefined : this.judge(parent).real;
    // Only a normalised path is its parent's real path plus its name: "a/.." or "a/." is resolved by the guard itself.
    const checked =
      above !== undefined && resolve(folder) === folder && isPlainFolder(folder)
        ? this.guard.checkReal(folder, above.endsWith(sep) ? above + basename(folder) : above + sep + basename(folder), 'read')
        : this.guard.check(folder, 'read');
    const verdict = checked.ok ? { real: checked.real } : { refused: checked.error, real: checked.real };
    this.folders.set(folder, verdict);
    return verdict;
  }
}

/** A folder itself, not a symlink to one (lstat); false when it is not there. */
function isPlainFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Files a command reads whole (a CA, a key, a CSR, a kubeconfig) are small; this bounds a hostile one. */
export const MAX_INPUT_FILE_BYTES = 16 * 1024 * 1024;

/** A file's text, read through the guard (a CSR, a CA key, a kubeconfig to update). Throws when it cannot be. */
export function readTextFile(guard: PathGuard, path: string): string {
  const read = readRegularFile(path, guard, MAX_INPUT_FILE_BYTES);
  if (!read.bytes) throw new Error(`${path} is too large (over ${MAX_INPUT_FILE_BYTES / 1048576} MiB)`);
  return Buffer.from(read.bytes.buffer, read.bytes.byteOffset, read.bytes.byteLength).toString('utf8');
}

/** Whether a file (or anything) is at `path`, asked through the guard: a path it refuses throws, never answers "no". */
export function existsGuarded(guard: PathGuard, path: string, access: 'read' | 'write'): boolean {
  const verdict = guard.check(path, access);
  if (!verdict.ok) throw verdict.error;
  try {
    lstatSync(verdict.real);
    return true;
  } catch {
    return false;
  }
}
