import { randomBytes } from 'node:crypto';
import { constants, promises as fs, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MAX_INPUT_FILE_BYTES, readRegularFile } from './guardedRead';
import type { PathGuard } from './pathGuard';

export class FileExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} exists; not overwritten`);
  }
}

/** A temporary file untouched for this long was left by a writer that died (a live one writes a key in milliseconds). */
export const STALE_TEMP_MS = 60_000;

/**
 * Removes the temporary files of `path` that a killed writer left behind
 * (the target itself was never touched: it changes only by rename). Fresh
 * ones may belong to a writer still at work and stay.
 */
async function removeStaleTemps(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  const names = await fs.readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !/^[0-9a-f]{12}\.tmp$/.test(name.slice(prefix.length))) continue;
    const stale = join(dirname(path), name);
    const stat = await fs.lstat(stale).catch(() => undefined);
    if (stat?.isFile() && Date.now() - stat.mtimeMs > STALE_TEMP_MS) await fs.rm(stale, { force: true });
  }
}

/** A folder's identity: the same real path and the same inode before and after a write, or the write is undone. */
function folderIdentity(realDir: string): string {
  const stat = statSync(realDir);
  return `${realpathSync.native(realDir)}:${stat.dev}:${stat.ino}`;
}

class FolderSwappedError extends Error {
  constructor(dir: string) {
    super(`${dir} changed while kube-pki wrote to it (a folder swapped for a symlink?); nothing was left there`);
  }
}

async function writeTemp(realPath: string, content: string | Uint8Array, mode: number): Promise<{ temp: string; identity: string }> {
  const dir = dirname(realPath);
  await fs.mkdir(dir, { recursive: true });
  await removeStaleTemps(realPath);
  const identity = folderIdentity(dir);
  const temp = join(dir, `.${basename(realPath)}.${randomBytes(6).toString('hex')}.tmp`);
  // Exclusive and no-follow, with the final mode from the start: a key is never readable by others,
  // not even for a moment, and the umask narrows the mode as for any file the user creates (never widened).
  const handle = await fs.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), mode);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw e;
  }
  await handle.close();
  if (folderIdentity(dir) !== identity) {
    await fs.rm(temp, { force: true });
    throw new FolderSwappedError(dir);
  }
  return { temp, identity };
}

/**
 * Creates a file that must not exist yet, where the guard allows writing.
 * The content goes to a temporary file first and is then hard-linked into
 * place, which fails if the target appeared meanwhile (a symlink there
 * included): no half-written file, no overwrite, ever.
 */
export async function writeNewFile(guard: PathGuard, path: string, content: string | Uint8Array, mode = 0o644): Promise<void> {
  const real = guard.forWrite(path);
  const { temp, identity } = await writeTemp(real, content, mode);
  try {
    await fs.link(temp, real);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new FileExistsError(path);
    throw e;
  } finally {
    await fs.rm(temp, { force: true });
  }
  // The check and the write cannot race: had the folder been swapped for a link meanwhile, the new file is taken back.
  if (folderIdentity(dirname(real)) !== identity) {
    await fs.rm(real, { force: true });
    throw new FolderSwappedError(dirname(real));
  }
}

/**
 * The bytes and mode of the file being replaced: read as every file is (guarded, regular files
 * only, no symlink followed at the real path, at most MAX_INPUT_FILE_BYTES); undefined when absent.
 */
function readForBackup(guard: PathGuard, real: string): { bytes: Uint8Array; mode: number } | undefined {
  let read;
  try {
    read = readRegularFile(real, guard, MAX_INPUT_FILE_BYTES);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (!read.bytes) throw new Error(`${real} is over ${MAX_INPUT_FILE_BYTES / 1048576} MiB: too large to keep as a backup, so it is not replaced`);
  return { bytes: read.bytes, mode: read.stat.mode & 0o777 };
}

/** Where a replaced file is kept: NAME.bak-<UTC time to the second>, e.g. apiserver.crt.bak-20270601T000000Z. */
export function backupPath(path: string, now: Date): string {
  return `${path}.bak-${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z')}`;
}

/** A copy kube-pki kept of a file it replaced: a record, not the configuration of anything. */
export function isBackupPath(path: string): boolean {
  return /\.bak-\d{8}T\d{6}Z$/.test(path);
}

/**
 * Replaces a file the user agreed to replace: the old one is kept as
 * NAME.bak-<timestamp> (with its own mode), the new one is renamed into place
 * atomically. A symlink that stays inside the workspace (kubelet's
 * kubelet-client-current.pem) is replaced where it leads; one that leads
 * outside is refused by the guard, before anything is copied.
 * Returns the backup's path (undefined when there was nothing to back up).
 */
export async function replaceFile(guard: PathGuard, path: string, content: string | Uint8Array, mode: number, now = new Date()): Promise<string | undefined> {
  const real = guard.forWrite(path);
  // The new content first: a writer killed while writing it leaves the old file as it was, and no backup.
  const { temp, identity } = await writeTemp(real, content, mode);
  let old;
  try {
    old = readForBackup(guard, real);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
  let backup: string | undefined;
  if (old) {
    backup = backupPath(real, now);
    await writeNewFile(guard, backup, old.bytes, old.mode).catch(async (e: unknown) => {
      await fs.rm(temp, { force: true });
      throw e instanceof FileExistsError ? Object.assign(new Error(`EEXIST: ${backup} exists; the backup is never overwritten`), { code: 'EEXIST' }) : e;
    });
  }
  if (folderIdentity(dirname(real)) !== identity) {
    await fs.rm(temp, { force: true });
    throw new FolderSwappedError(dirname(real));
  }
  await fs.rename(temp, real);
  return backup;
}
