import { createHash } from 'node:crypto';

/** Colon-separated upper-case hex, the way openssl and browsers show fingerprints. */
export function colonHex(bytes: Uint8Array | ArrayBuffer): string {
  const hex = Buffer.from(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes)
    .toString('hex')
    .toUpperCase();
  return hex.match(/.{2}/g)?.join(':') ?? '';
}

export function digest(algorithm: 'sha256' | 'sha1', data: Uint8Array): string {
  return colonHex(createHash(algorithm).update(data).digest());
}
