import { ECPrivateKey } from '@peculiar/asn1-ecc';
import { AsnParser } from '@peculiar/asn1-schema';
import * as asn1js from 'asn1js';
import { canonicalSequence } from './derSlice';
import { pointOfScalar } from './ecScalarPoint';
import { JWK_CURVES, namedCurveSpki } from './publicKey';

/** The public half of a SEC1 EC private key: the SPKI DER OpenSSL's export would give, and the curve's JWK name. */
export interface EcPublicHalf {
  spki: Uint8Array;
  curve: string;
}

/**
 * Reads a SEC1 "EC PRIVATE KEY" with the ASN.1 schema, without OpenSSL's decoder (its import,
 * public-key export and JWK round trip cost five times this). Only the common shape is taken:
 * canonical DER, version 1, a named P-256/384/521 curve, a private scalar of the curve's size and
 * the public key as an uncompressed point that the scalar gives (OpenSSL keeps the stored point,
 * Go derives it from the scalar: where they agree both say the same). Anything else is undefined
 * and goes through OpenSSL as before.
 */
export function readEcPrivateKey(der: Uint8Array): EcPublicHalf | undefined {
  try {
    const root = canonicalSequence(der, 4, 1);
    const fields = root?.valueBlock.value;
    if (!root || !fields || fields[1].idBlock.isConstructed) return undefined;
    const key = AsnParser.fromASN(root, ECPrivateKey);
    const parameters = Buffer.from((fields[2] as asn1js.Constructed).valueBlock.value[0]?.valueBeforeDecodeView ?? []).toString('hex');
    const curve = JWK_CURVES[parameters];
    if (!curve || !key.publicKey || key.parameters?.namedCurve === undefined) return undefined;
    const scalar = new Uint8Array(key.privateKey.buffer);
    const point = new Uint8Array(key.publicKey);
    if (scalar.length !== curve.size || point.length !== 1 + 2 * curve.size || point[0] !== 0x04) return undefined;
    // A scalar out of range (zero, at or above the order) gives no point: OpenSSL's route judges the key.
    if (!pointOfScalar(curve.openssl, scalar)?.equals(point)) return undefined;
    return { spki: namedCurveSpki(parameters, point), curve: curve.crv };
  } catch {
    return undefined;
  }
}
