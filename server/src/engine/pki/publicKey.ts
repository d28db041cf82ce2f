import { createPublicKey, ECDH, JsonWebKey, KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { getOrMake } from '../memo';
import { isOnNamedCurve } from './curvePoint';
import { decodeMode } from './decodeMode';
import { digest } from './fingerprint';
import { NAMED_CURVES, PUBLIC_KEY_ALGORITHMS } from './oids';
import { Problem, problem } from './problem';
import { RSA_ENCRYPTION, readRsaKey, unusableRsaKey } from './rsaKey';

export { MAX_RSA_MODULUS_BITS, MAX_RSA_PUBLIC_EXPONENT, UnusableRsaKey, unusableRsaKey } from './rsaKey';

/** What can be said of a public key; also the public half of a private key. */
export interface PublicKeyInfo {
  /** RSA, EC, Ed25519, Ed448, DSA, RSA-PSS, or the OID when this runtime cannot load it. */
  algorithm: string;
  /** Modulus length for RSA/DSA, curve size for EC. */
  bits?: number;
  /** P-256, P-384... for EC keys. */
  curve?: string;
  /** SHA-256 of the DER SubjectPublicKeyInfo: equal fingerprints mean the same key. */
  spkiSha256: string;
  /** Human summary: "RSA 2048", "EC P-256", "Ed25519". */
  description: string;
}

export const CURVE_BITS: Record<string, number> = { 'P-224': 224, 'P-256': 256, 'P-384': 384, 'P-521': 521, secp256k1: 256 };

/**
 * Loads a DER SubjectPublicKeyInfo as a Node KeyObject, or undefined when the
 * runtime does not support the algorithm (GOST, explicit EC parameters...).
 */
export function loadPublicKey(spkiDer: Uint8Array, encodedFrom?: SubjectPublicKeyInfo): KeyObject | undefined {
  // Decoded objects are immutable and shared: one KeyObject per SPKI array serves the
  // description, the self-signature check and every chain edge that names this key.
  const cached = keyObjects.get(spkiDer);
  if (cached !== undefined) return cached ?? undefined;
  let key: KeyObject | undefined;
  // A key Go refuses is never imported, so nothing is ever verified with it.
  if (unusableRsaKey(spkiDer, encodedFrom)) {
    keyObjects.set(spkiDer, null);
    return undefined;
  }
  try {
    key = importAsJwk(spkiDer, encodedFrom ?? spkiSources.get(spkiDer)) ?? createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
  } catch {
    key = undefined;
  }
  keyObjects.set(spkiDer, key ?? null);
  return key;
}

const keyObjects = new WeakMap<Uint8Array, KeyObject | null>();

/** The structure a certificate's or CSR's SPKI bytes were serialised from, for a key loaded after the decode. */
const spkiSources = new WeakMap<Uint8Array, SubjectPublicKeyInfo>();

const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
/** Named-curve parameters (the DER OID) -> JWK curve, coordinate size and OpenSSL's curve name. */
export const JWK_CURVES: Record<string, { crv: string; size: number; openssl: string }> = {
  '06082a8648ce3d030107': { crv: 'P-256', size: 32, openssl: 'prime256v1' },
  '06052b81040022': { crv: 'P-384', size: 48, openssl: 'secp384r1' },
  '06052b81040023': { crv: 'P-521', size: 66, openssl: 'secp521r1' },
};

/** A P-256/384/521 key's curve (its OID's DER in hex, a JWK_CURVES key, and the entry) and its point as stored; undefined for any other key. */
function namedCurvePoint(spki: SubjectPublicKeyInfo): { parameters: string; curve: (typeof JWK_CURVES)[string]; point: Uint8Array } | undefined {
  const parameters = spki.algorithm.parameters;
  if (spki.algorithm.algorithm !== EC_PUBLIC_KEY || !parameters) return undefined;
  const hex = Buffer.from(parameters).toString('hex');
  const curve = JWK_CURVES[hex];
  return curve && { parameters: hex, curve, point: new Uint8Array(spki.subjectPublicKey) };
}

/** The curve and uncompressed point of a named-curve EC key that the JWK import takes; undefined for any other key. */
function jwkCurvePoint(spki: SubjectPublicKeyInfo): { curve: (typeof JWK_CURVES)[string]; point: Uint8Array } | undefined {
  const ec = namedCurvePoint(spki);
  if (!ec || ec.point.length !== 1 + 2 * ec.curve.size || ec.point[0] !== 0x04) return undefined;
  return ec;
}

/**
 * A certificate's or CSR's named-curve EC key, described without a KeyObject: most
 * certificates never sign anything, and the import costs several times the rest of
 * the description. The point is checked as OpenSSL checks it (on the curve, coordinates in
 * range: curvePoint.ts; these curves have cofactor 1). Undefined for every other key and for a point
 * that fails, which take the KeyObject route as before.
 */
function describeNamedCurveKey(spkiDer: Uint8Array, spki: SubjectPublicKeyInfo): PublicKeyInfo | undefined {
  const ec = jwkCurvePoint(spki);
  if (!ec) return undefined;
  if (!isOnNamedCurve(ec.point, ec.curve.crv)) return undefined;
  // A signature check later imports the key from the same structure (loadPublicKey).
  spkiSources.set(spkiDer, spki);
  return namedCurveKeyInfo(ec.curve.crv, digest('sha256', spkiDer));
}

/**
 * A named-curve EC key stored as a compressed point, which OpenSSL reads and Go does not: crypto/x509
 * takes only uncompressed points (elliptic.Unmarshal), so Kubernetes cannot parse the certificate, CSR
 * or public key at all. Described by the uncompressed point, the key Go would compare, so that the one
 * fault is this warning and not also a key mismatch beside its private key. Undefined for any other key.
 */
function describeCompressedPoint(spkiDer: Uint8Array, encodedFrom: SubjectPublicKeyInfo | undefined, problems: Problem[]): PublicKeyInfo | undefined {
  let spki = encodedFrom;
  try {
    spki ??= AsnConvert.parse(spkiDer, SubjectPublicKeyInfo); // a PUBLIC KEY file's
  } catch {
    return undefined; // the routes below report it
  }
  const ec = namedCurvePoint(spki);
  if (!ec) return undefined;
  const { parameters, curve, point } = ec;
  if (point.length !== 1 + curve.size || (point[0] !== 0x02 && point[0] !== 0x03)) return undefined;
  let uncompressed: Buffer;
  try {
    uncompressed = ECDH.convertKey(point, curve.openssl, undefined, undefined, 'uncompressed') as Buffer;
  } catch {
    return undefined; // not on the curve: OpenSSL's route reports it
  }
  problems.push(
    problem(
      'warning',
      'unsupported-key-algorithm',
      `EC ${curve.crv} public key stored as a compressed point: Go (so Kubernetes) cannot parse it (x509: failed to unmarshal elliptic curve point)`,
    ),
  );
  return namedCurveKeyInfo(curve.crv, digest('sha256', namedCurveSpki(parameters, new Uint8Array(uncompressed))));
}

/** What is shown of a named-curve EC public key (a certificate's, or a private key's public half). */
export function namedCurveKeyInfo(curve: string, spkiSha256: string): PublicKeyInfo {
  return { algorithm: 'EC', curve, bits: CURVE_BITS[curve], spkiSha256, description: `EC ${curve}` };
}

/** The JWK_CURVES entry (its curve OID's DER in hex, and the curve) of a JWK curve name; undefined for other curves. */
export function jwkCurveNamed(crv: string | undefined): [string, (typeof JWK_CURVES)[string]] | undefined {
  return Object.entries(JWK_CURVES).find(([, c]) => c.crv === crv);
}

/**
 * OpenSSL's DER decoder for a SubjectPublicKeyInfo costs several times the
 * import of the same key as a JWK (for RSA, fifty times). For the common,
 * canonically encoded RSA and named-curve EC keys, the components are read with
 * the ASN.1 schemas and imported as a JWK: OpenSSL still validates the key (an EC
 * point must be on its curve and in range). Anything else (another encoding of
 * the same key, other algorithms, compressed points) returns undefined and goes
 * through the DER decoder, so what is accepted or refused does not change.
 * `encodedFrom`, when given, is the structure `spkiDer` was serialised from (a
 * certificate's), which spares parsing it again.
 */
function importAsJwk(spkiDer: Uint8Array, encodedFrom?: SubjectPublicKeyInfo): KeyObject | undefined {
  let spki = encodedFrom;
  if (!spki) {
    spki = AsnConvert.parse(spkiDer, SubjectPublicKeyInfo);
    if (!sameBytes(AsnConvert.serialize(spki), spkiDer)) return undefined;
  }
  // The schema reads a NULL as null and any other parameters as their DER bytes.
  const parameters = spki.algorithm.parameters;
  const bits = new Uint8Array(spki.subjectPublicKey);
  let jwk: JsonWebKey | undefined;
  if (spki.algorithm.algorithm === EC_PUBLIC_KEY && parameters) {
    const ec = jwkCurvePoint(spki);
    if (!ec) return undefined;
    const { crv, size } = ec.curve;
    const b64 = (from: number) => Buffer.from(bits.subarray(from, from + size)).toString('base64url');
    jwk = { kty: 'EC', crv, x: b64(1), y: b64(1 + size) };
  } else if (spki.algorithm.algorithm === RSA_ENCRYPTION && parameters === null) {
    const rsa = readRsaKey(spkiDer, spki);
    if (!rsa) throw new Error('the RSA public key cannot be read');
    if (!rsa.jwk) return undefined;
    jwk = { kty: 'RSA', ...rsa.jwk };
  }
  return jwk ? createPublicKey({ key: jwk, format: 'jwk' }) : undefined;
}

/**
 * The DER SubjectPublicKeyInfo of this named-curve EC public key as Go holds it: the
 * uncompressed point, from its JWK (OpenSSL's encoder costs five times the JWK export, and
 * keeps a compressed point compressed). Go compares points, not their encodings, so a private
 * key that stores its point compressed belongs to the certificate of the uncompressed one.
 * Undefined for anything else (the caller exports).
 */
export function spkiFromJwk(key: KeyObject): Uint8Array | undefined {
  if (key.asymmetricKeyType !== 'ec') return undefined;
  const { crv, x, y } = key.export({ format: 'jwk' });
  const curve = jwkCurveNamed(crv);
  if (!curve || !x || !y) return undefined;
  const [parameters, { size }] = curve;
  const point = Buffer.concat([Buffer.of(0x04), Buffer.from(x, 'base64url'), Buffer.from(y, 'base64url')]);
  return point.length === 1 + 2 * size ? namedCurveSpki(parameters, point) : undefined;
}

/** The named-curve SPKI of an uncompressed point (`parameters`: the curve OID's DER in hex, a JWK_CURVES key). */
export function namedCurveSpki(parameters: string, point: Uint8Array): Uint8Array {
  return new Uint8Array(Buffer.concat([spkiPrefix(parameters, JWK_CURVES[parameters].size), point]));
}

const spkiPrefixes = new Map<string, Buffer>();

/** The bytes of a named-curve SPKI before its point (the schema's serialisation of one with a zero point). */
function spkiPrefix(parameters: string, size: number): Buffer {
  return getOrMake(spkiPrefixes, parameters, () => {
    const point = new Uint8Array(1 + 2 * size);
    const algorithm = new AlgorithmIdentifier({ algorithm: EC_PUBLIC_KEY, parameters: new Uint8Array(Buffer.from(parameters, 'hex')).buffer });
    const der = Buffer.from(AsnConvert.serialize(new SubjectPublicKeyInfo({ algorithm, subjectPublicKey: point.buffer })));
    return der.subarray(0, der.length - point.length);
  });
}

function sameBytes(a: ArrayBuffer, b: Uint8Array): boolean {
  return Buffer.from(a).equals(b);
}

export function describeKeyObject(key: KeyObject, spkiDer: Uint8Array): PublicKeyInfo {
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  const spkiSha256 = digest('sha256', spkiDer);
  switch (type) {
    case 'rsa':
    case 'rsa-pss':
    case 'dsa': {
      const algorithm = type === 'rsa' ? 'RSA' : type === 'rsa-pss' ? 'RSA-PSS' : 'DSA';
      const bits = details.modulusLength;
      return { algorithm, bits, spkiSha256, description: `${algorithm} ${bits ?? '?'}` };
    }
    case 'ec': {
      return namedCurveKeyInfo(NAMED_CURVES[details.namedCurve ?? ''] ?? details.namedCurve ?? 'unknown curve', spkiSha256);
    }
    case 'ed25519':
      return { algorithm: 'Ed25519', bits: 256, spkiSha256, description: 'Ed25519' };
    case 'ed448':
      return { algorithm: 'Ed448', bits: 456, spkiSha256, description: 'Ed448' };
    default:
      return { algorithm: type.toUpperCase(), spkiSha256, description: type.toUpperCase() };
  }
}

/** Describes a SubjectPublicKeyInfo; unsupported algorithms are named from their OID, with a problem. */
export function describePublicKey(spkiDer: Uint8Array, problems: Problem[], encodedFrom?: SubjectPublicKeyInfo): PublicKeyInfo {
  // The named curves are P-256 and up: no weak-key problem to add.
  // First, so that an EC key is remembered as not RSA: a later signature check asks without a structure.
  const rsa = readRsaKey(spkiDer, encodedFrom);
  const named = (encodedFrom && describeNamedCurveKey(spkiDer, encodedFrom)) ?? describeCompressedPoint(spkiDer, encodedFrom, problems);
  if (named) return named;
  const unusable = rsa?.unusable;
  if (unusable) {
    problems.push(problem('warning', 'unsupported-key-algorithm', `${unusable.algorithm} ${unusable.bits} key: ${unusable.reason}`));
    return { algorithm: unusable.algorithm, bits: unusable.bits, spkiSha256: digest('sha256', spkiDer), description: `${unusable.algorithm} ${unusable.bits}` };
  }
  // A canonical RSA key the JWK import takes as it is: what the KeyObject would say (modulusLength
  // is the modulus's bit length), without importing a key that most certificates never sign with.
  if (encodedFrom && rsa?.jwk && !decodeMode.eager) {
    spkiSources.set(spkiDer, encodedFrom);
    const info: PublicKeyInfo = { algorithm: 'RSA', bits: rsa.bits, spkiSha256: digest('sha256', spkiDer), description: `RSA ${rsa.bits}` };
    problems.push(...weakKeyProblems(info));
    return info;
  }
  const key = loadPublicKey(spkiDer, encodedFrom);
  if (key) {
    const info = describeKeyObject(key, spkiDer);
    problems.push(...weakKeyProblems(info));
    return info;
  }
  const spkiSha256 = digest('sha256', spkiDer);
  let oid = 'unknown';
  let curve: string | undefined;
  try {
    const spki = AsnConvert.parse(spkiDer, SubjectPublicKeyInfo);
    oid = spki.algorithm.algorithm;
    if (oid === '1.2.840.10045.2.1' && spki.algorithm.parameters) {
      // EC with explicit parameters instead of a named curve (RFC 5480 forbids it).
      curve = 'explicit parameters';
    }
  } catch (e) {
    problems.push(problem('error', 'malformed-public-key', `the public key is malformed: ${errorMessage(e)}`));
  }
  const algorithm = PUBLIC_KEY_ALGORITHMS[oid] ?? oid;
  problems.push(
    problem(
      'warning',
      'unsupported-key-algorithm',
      curve
        ? 'EC public key with explicit curve parameters (RFC 5480 requires a named curve); it cannot be used here'
        : `public key algorithm ${algorithm} (${oid}) is not supported by kube-pki or Kubernetes`,
    ),
  );
  return { algorithm, curve, spkiSha256, description: curve ? `${algorithm} (${curve})` : algorithm };
}

/** Keys Kubernetes components would accept but that are too weak today. */
export function weakKeyProblems(info: PublicKeyInfo): Problem[] {
  if ((info.algorithm === 'RSA' || info.algorithm === 'RSA-PSS') && info.bits !== undefined && info.bits < 2048) {
    return [problem('warning', 'weak-key', `RSA key of ${info.bits} bits is weak (use 2048 bits or more)`)];
  }
  if (info.algorithm === 'DSA') {
    return [problem('warning', 'weak-key', 'DSA keys are deprecated and not accepted by Go TLS (Kubernetes)')];
  }
  if (info.algorithm === 'Ed448') {
    return [problem('warning', 'unsupported-key-algorithm', 'Ed448 keys are not supported by Go (Kubernetes components cannot use them)')];
  }
  if (info.algorithm === 'EC' && info.bits !== undefined && info.bits < 256) {
    return [problem('warning', 'weak-key', `EC curve ${info.curve} is weak (use P-256 or stronger)`)];
  }
  return [];
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}
