/** DER INTEGER contents or a curve coordinate (big-endian, unsigned) as a BigInt, for Go's key checks done with BigInt arithmetic. */
export function unsignedBigInt(bytes: ArrayBuffer | Uint8Array): bigint {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return BigInt(`0x${Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('hex')}`);
}
