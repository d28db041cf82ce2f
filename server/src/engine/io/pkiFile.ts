import { DecodedFile, decodePkiBytes, MAX_PKI_FILE_BYTES } from '../pki/decode';
import { errorMessage } from '../pki/publicKey';
import { NotRegularFileError, readRegularFile } from './guardedRead';
import { OutsideError, PathGuard } from './pathGuard';

/** One guarded read of a PKI file: its bytes, or what loadPkiFile reports instead (missing, refused, too large...). */
export function readPkiBytes(path: string, guard: PathGuard): { bytes: Uint8Array } | { error: string } {
  try {
    const read = readRegularFile(path, guard, MAX_PKI_FILE_BYTES);
    if (!read.bytes) return { error: `file too large (${(read.stat.size / 1048576).toFixed(1)} MiB; the limit is ${MAX_PKI_FILE_BYTES / 1048576} MiB)` };
    return { bytes: read.bytes };
  } catch (e) {
    return { error: describeFsError(e) };
  }
}

/** What a read holds, decoded (`passwords`: a PKCS#12 file's). Never throws: a failed read or decode comes back with `error` set. */
export function decodePkiRead(read: { bytes: Uint8Array } | { error: string }, passwords: readonly string[] = []): DecodedFile {
  if ('error' in read) return { format: 'none', blocks: [], error: read.error };
  try {
    return decodePkiBytes(read.bytes, passwords);
  } catch (e) {
    return { format: 'none', blocks: [], error: describeFsError(e) };
  }
}

/**
 * Reads and decodes a PKI file from disk, through the guard (`passwords`: a PKCS#12 file's). Never throws: an
 * unreadable, missing, oversized, refused or non-regular file comes back with
 * `error` set.
 */
export async function loadPkiFile(path: string, guard: PathGuard, passwords: readonly string[] = []): Promise<DecodedFile> {
  return decodePkiRead(readPkiBytes(path, guard), passwords);
}

export function describeFsError(e: unknown): string {
  if (e instanceof OutsideError) return e.message;
  if (e instanceof NotRegularFileError) return 'not a regular file (a device, FIFO or socket is never read)';
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links (a symlink loop)';
    case 'EISDIR':
      return 'is a directory, not a file';
    default:
      return `cannot read: ${errorMessage(e)}`;
  }
}
