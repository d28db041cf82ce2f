import { readTextFile } from '../io/guardedRead';
import type { PathGuard } from '../io/pathGuard';
import { scanPem } from '../pki/pem';

/**
 * The certificates of a CA file as PEM, one after another: what k3s and RKE2 write after a leaf they issue
 * (the CA's own file, so an intermediate's parents follow too). Other blocks of the file are left out.
 */
export function caChainPem(guard: PathGuard, caCertPath: string): string {
  const text = readTextFile(guard, caCertPath);
  return scanPem(text)
    .filter((b) => b.label === 'CERTIFICATE' && b.der)
    .map((b) => `${text.slice(b.span.start, b.span.end)}\n`)
    .join('');
}

/** A leaf's PEM followed by its CA's certificates when the distribution appends the chain. */
export function withChain(guard: PathGuard, leafPem: string, caCertPath: string | undefined, appendsChain: boolean): string {
  return appendsChain && caCertPath ? leafPem + caChainPem(guard, caCertPath) : leafPem;
}
