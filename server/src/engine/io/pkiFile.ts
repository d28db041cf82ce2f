import { DecodedFile, decodePkiBytes, MAX_PKI_FILE_BYTES } from '../pki/decode';
import { errorMessage } from '../pki/publicKey';
import { NotRegularFileError, readRegularFile } from './guardedRead';
import { OutsideError, PathGuard } from './pathGuard';

/**
 * Reads and decodes a PKI file from disk, through the guard (`passwords`: a PKCS#12 file's). Never throws: an
 * unreadable, missing, oversized, refused or non-regular file comes back with
 * `error` set.
 */
export async function loadPkiFile(path: string, guard: PathGuard, passwords: readonly string[] = []): Promise<DecodedFile> {
  try {
    const read = readRegularFile(path, guard, MAX_PKI_FILE_BYTES);
    if (!read.bytes) {
      return {
        format: 'none',
        blocks: [],
        error: `file too large (${(read.stat.size / 1048576).toFixed(1)} MiB; the limit is ${MAX_PKI_FILE_BYTES / 1048576} MiB)`,
      };
    }
    return decodePkiBytes(read.bytes, passwords);
  } catch (e) {
    return { format: 'none', blocks: [], error: describeFsError(e) };
  }
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
