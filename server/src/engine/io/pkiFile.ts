import { promises as fs } from 'node:fs';
import { DecodedFile, MAX_PKI_FILE_BYTES, decodePkiBytes } from '../pki/decode';
import { errorMessage } from '../pki/publicKey';

/**
 * Reads and decodes a PKI file from disk. Never throws: an unreadable,
 * missing, oversized or non-regular file comes back with `error` set.
 */
export async function loadPkiFile(path: string): Promise<DecodedFile> {
  try {
    const stat = await fs.stat(path);
    if (stat.isDirectory()) return { format: 'none', blocks: [], error: 'is a directory, not a file' };
    if (!stat.isFile()) return { format: 'none', blocks: [], error: 'not a regular file' };
    if (stat.size > MAX_PKI_FILE_BYTES) {
      return { format: 'none', blocks: [], error: `file too large (${(stat.size / 1048576).toFixed(1)} MiB; the limit is ${MAX_PKI_FILE_BYTES / 1048576} MiB)` };
    }
    return decodePkiBytes(new Uint8Array(await fs.readFile(path)));
  } catch (e) {
    return { format: 'none', blocks: [], error: describeFsError(e) };
  }
}

export function describeFsError(e: unknown): string {
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
