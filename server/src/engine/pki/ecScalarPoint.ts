import { createECDH, KeyObject } from 'node:crypto';
import { jwkCurveNamed, namedCurveSpki } from './publicKey';

/** Go's message for a private scalar of zero or at least the curve order (crypto/x509 sec1.go). */
export const INVALID_EC_SCALAR = 'x509: invalid elliptic curve private key value' as const;

/** The public half Go derives from an EC private key's scalar, where it is not the point OpenSSL kept. */
export interface EcScalarPoint {
  /** The named-curve SPKI DER of the scalar's point. */
  spki: Uint8Array;
  curve: string;
}

/**
 * Go's crypto/x509 ignores the public point an EC private key (SEC1, or SEC1 inside PKCS#8)
 * stores and derives it from the scalar (`curve.ScalarBaseMult`); OpenSSL keeps the stored one.
 * For a P-256/384/521 key OpenSSL read: the scalar's point when the two differ, undefined when
 * they agree (or the key is no such key); Go's error for a scalar Go refuses (zero, or at or
 * above the curve order), which OpenSSL accepts. The scalar goes no further than pointOfScalar.
 */
export function ecScalarPoint(key: KeyObject): EcScalarPoint | typeof INVALID_EC_SCALAR | undefined {
  if (key.asymmetricKeyType !== 'ec') return undefined;
  const { crv, d, x, y } = key.export({ format: 'jwk' });
  const entry = jwkCurveNamed(crv);
  if (!entry || !d || !x || !y) return undefined;
  const [parameters, curve] = entry;
  const derived = pointOfScalar(curve.openssl, Buffer.from(d, 'base64url'));
  if (!derived) return INVALID_EC_SCALAR;
  const stored = Buffer.concat([Buffer.of(0x04), Buffer.from(x, 'base64url'), Buffer.from(y, 'base64url')]);
  if (derived.equals(stored)) return undefined;
  return { spki: namedCurveSpki(parameters, new Uint8Array(derived)), curve: crv as string };
}

/**
 * The uncompressed point a private scalar gives on an OpenSSL-named curve, the one Go derives; undefined for a
 * scalar OpenSSL's ECDH refuses, which are exactly those Go refuses: zero, and the curve order or above.
 */
export function pointOfScalar(opensslCurve: string, scalar: Uint8Array): Buffer | undefined {
  const ecdh = createECDH(opensslCurve);
  try {
    ecdh.setPrivateKey(scalar);
  } catch {
    return undefined;
  }
  return ecdh.getPublicKey();
}
