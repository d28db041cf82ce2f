import { closeSync, constants, openSync, readSync } from 'node:fs';

/** The first `maxBytes` of a file (fewer when it is shorter); undefined when it cannot be read. */
export function readHead(path: string, maxBytes: number): Uint8Array | undefined {
  let fd: number | undefined;
  try {
    // Non-blocking, as readDisk: a FIFO swapped in since the listing must not hang the read.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const head = new Uint8Array(maxBytes);
    let filled = 0;
    for (let n = -1; n !== 0 && filled < maxBytes; filled += n) n = readSync(fd, head, filled, maxBytes - filled, null);
    return head.subarray(0, filled);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
