import * as crypto from 'node:crypto';

/** Colon-separated upper-case hex, the way openssl and browsers show fingerprints. */
export function colonHex(bytes: Uint8Array | ArrayBuffer): string {
  const hex = Buffer.from(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes)
    .toString('hex')
    .toUpperCase();
  // A loop, not a regex match: three fingerprints of every decoded certificate.
  let text = hex.slice(0, 2);
  for (let at = 2; at < hex.length; at += 2) text += `:${hex.slice(at, at + 2)}`;
  return text;
}

// crypto.hash (Node 20.12, 21.7) hashes in one call, half the cost of a Hash object for a certificate's bytes.
const oneShot = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer }).hash;

export function digest(algorithm: 'sha256' | 'sha1', data: Uint8Array): string {
  return colonHex(oneShot ? oneShot(algorithm, data, 'buffer') : crypto.createHash(algorithm).update(data).digest());
}
