import { createPublicKey, KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { digest } from './fingerprint';
import { NAMED_CURVES, PUBLIC_KEY_ALGORITHMS } from './oids';
import { Problem, problem } from './problem';

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

const CURVE_BITS: Record<string, number> = { 'P-224': 224, 'P-256': 256, 'P-384': 384, 'P-521': 521, secp256k1: 256 };

/**
 * Loads a DER SubjectPublicKeyInfo as a Node KeyObject, or undefined when the
 * runtime does not support the algorithm (GOST, explicit EC parameters...).
 */
export function loadPublicKey(spkiDer: Uint8Array): KeyObject | undefined {
  try {
    return createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
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
      const curve = NAMED_CURVES[details.namedCurve ?? ''] ?? details.namedCurve ?? 'unknown curve';
      return { algorithm: 'EC', curve, bits: CURVE_BITS[curve], spkiSha256, description: `EC ${curve}` };
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
export function describePublicKey(spkiDer: Uint8Array, problems: Problem[]): PublicKeyInfo {
  const key = loadPublicKey(spkiDer);
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
