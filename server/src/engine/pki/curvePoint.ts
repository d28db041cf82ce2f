import { unsignedBigInt } from './bigInteger';

/**
 * Is an uncompressed point (04 || x || y) on its named curve: what OpenSSL's EC_POINT_oct2point
 * checks (ECDH.convertKey's test): both coordinates below the field prime and y² = x³ - 3x + b.
 * These curves have cofactor 1, so a point on the curve is in the group. Modular arithmetic on
 * BigInt costs a quarter of ECDH.convertKey, which builds the curve's group on every call;
 * test/unit/decodeFastPath.test.ts holds both to the same answer.
 */
export function isOnNamedCurve(point: Uint8Array, crv: string): boolean {
  const curve = CURVES[crv];
  if (!curve || point.length !== 1 + 2 * curve.size || point[0] !== 0x04) return false;
  const { p, b } = curve;
  const x = unsignedBigInt(point.subarray(1, 1 + curve.size));
  const y = unsignedBigInt(point.subarray(1 + curve.size));
  if (x >= p || y >= p) return false;
  return (y * y - (x * x * x - 3n * x + b)) % p === 0n;
}

// SEC 2 / FIPS 186-4 domain parameters: the field prime p and the constant b (a = -3 on all three).
const CURVES: Record<string, { size: number; p: bigint; b: bigint }> = {
  'P-256': {
    size: 32,
    p: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
  },
  'P-384': {
    size: 48,
    p: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
  },
  'P-521': {
    size: 66,
    p: 2n ** 521n - 1n,
    b: 0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
  },
};
