import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

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

async function writeTemp(path: string, content: string | Uint8Array, mode: number): Promise<string> {
  await fs.mkdir(dirname(path), { recursive: true });
  await removeStaleTemps(path);
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  // 'wx' with the final mode from the start: a key is never readable by others, not even for a moment.
  const handle = await fs.open(temp, 'wx', mode);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw e;
  }
  await handle.close();
  await fs.chmod(temp, mode); // the umask may have narrowed it; never widened
  return temp;
}

/**
 * Creates a file that must not exist yet. The content goes to a temporary
 * file first and is then hard-linked into place, which fails if the target
 * appeared meanwhile: no half-written file, no overwrite, ever.
 */
export async function writeNewFile(path: string, content: string | Uint8Array, mode = 0o644): Promise<void> {
  const temp = await writeTemp(path, content, mode);
  try {
    await fs.link(temp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new FileExistsError(path);
    throw e;
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/**
 * Replaces a file the user agreed to replace: the old one is kept as
 * NAME.bak-<timestamp>, the new one is renamed into place atomically.
 * Returns the backup's path (undefined when there was nothing to back up).
 */
export async function replaceFile(path: string, content: string | Uint8Array, mode: number, now = new Date()): Promise<string | undefined> {
  const temp = await writeTemp(path, content, mode);
  let backup: string | undefined;
  try {
    await fs.access(path);
    backup = `${path}.bak-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}`;
    await fs.copyFile(path, backup, 1 /* COPYFILE_EXCL */);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      await fs.rm(temp, { force: true });
      throw e;
    }
    backup = undefined;
  }
  await fs.rename(temp, path);
  return backup;
}
