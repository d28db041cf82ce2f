import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { decodeMode } from './decodeMode';
import { readEcPrivateKey } from './ecPrivateKey';
import { ecScalarPoint, INVALID_EC_SCALAR } from './ecScalarPoint';
import { digest } from './fingerprint';
import { Problem, problem } from './problem';
import { describeKeyObject, errorMessage, namedCurveKeyInfo, PublicKeyInfo, spkiFromJwk, weakKeyProblems } from './publicKey';
import { readRsaPrivateKey } from './rsaPrivateKey';

export type PrivateKeyFormat = 'PKCS#1' | 'PKCS#8' | 'SEC1' | 'PKCS#8 (encrypted)' | 'legacy PEM (encrypted)';

/**
 * A private key, described only by public facts: its format and the public
 * key it holds. The private material is never kept, returned or printed.
 */
export interface PrivateKeyInfo {
  kind: 'privateKey';
  format: PrivateKeyFormat;
  encrypted: boolean;
  /** Absent for encrypted keys (their public half cannot be known without the passphrase). */
  publicKey?: PublicKeyInfo;
  problems: Problem[];
}

const FORMAT_BY_LABEL: Record<string, { format: PrivateKeyFormat; type: 'pkcs1' | 'pkcs8' | 'sec1' }> = {
  'RSA PRIVATE KEY': { format: 'PKCS#1', type: 'pkcs1' },
  'PRIVATE KEY': { format: 'PKCS#8', type: 'pkcs8' },
  'EC PRIVATE KEY': { format: 'SEC1', type: 'sec1' },
};

export function isPrivateKeyLabel(label: string): boolean {
  return label in FORMAT_BY_LABEL || label === 'ENCRYPTED PRIVATE KEY';
}

/**
 * Decodes a private key given as DER under a PEM label (or a DER file's guessed type).
 * Uses Node's crypto (OpenSSL) for the key structure; returns only the derived public facts.
 */
export function decodePrivateKey(label: string, der: Uint8Array, headers: Record<string, string> = {}): PrivateKeyInfo {
  if (label === 'ENCRYPTED PRIVATE KEY') {
    return {
      kind: 'privateKey',
      format: 'PKCS#8 (encrypted)',
      encrypted: true,
      problems: [problem('information', 'encrypted-key', 'the key is encrypted (PKCS#8): Kubernetes components cannot read encrypted keys')],
    };
  }
  const known = FORMAT_BY_LABEL[label];
  if (!known) throw new Error(`"${label}" is not a private key label`);
  if (/ENCRYPTED/i.test(headers['Proc-Type'] ?? '')) {
    return {
      kind: 'privateKey',
      format: 'legacy PEM (encrypted)',
      encrypted: true,
      problems: [
        problem(
          'information',
          'encrypted-key',
          `the key is encrypted (${headers['DEK-Info']?.split(',')[0] ?? 'legacy PEM'}): Kubernetes components cannot read encrypted keys`,
        ),
      ],
    };
  }
  const fast = describeFromStructure(der, known.format, known.type);
  if (fast) return fast;
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: known.type });
  } catch (e) {
    throw new Error(`not a valid ${known.format} private key: ${errorMessage(e)}`);
  }
  return describePrivateKeyObject(key, known.format);
}

/** A key read from its structure (RSA, SEC1 EC) as OpenSSL's route would describe it; undefined for the rest, which take that route. */
function describeFromStructure(der: Uint8Array, format: PrivateKeyFormat, type: string): PrivateKeyInfo | undefined {
  if (type === 'sec1') return decodeMode.eager ? undefined : describeEcPrivateKey(der, format);
  return describeRsaPrivateKey(der, format, type);
}

function describeEcPrivateKey(der: Uint8Array, format: PrivateKeyFormat): PrivateKeyInfo | undefined {
  const ec = readEcPrivateKey(der);
  return ec && describeEcPublicHalf(ec.spki, ec.curve, format, []);
}

/** An EC private key by the public half Go uses (the named curves are P-256 and up: no weak-key problem to add). */
function describeEcPublicHalf(spki: Uint8Array, curve: string, format: PrivateKeyFormat, problems: Problem[]): PrivateKeyInfo {
  const info = namedCurveKeyInfo(curve, digest('sha256', spki));
  return { kind: 'privateKey', format, encrypted: false, publicKey: info, problems: [...weakKeyProblems(info), ...problems] };
}

/**
 * A canonical two-prime RSA key described from its structure (rsaPrivateKey.ts), as OpenSSL's
 * route would describe it; undefined for any other key, which takes that route. A key Go would
 * refuse (its primes or exponents do not agree) is refused on both routes, the way Kubernetes does.
 */
function describeRsaPrivateKey(der: Uint8Array, format: PrivateKeyFormat, type: string): PrivateKeyInfo | undefined {
  if (type !== 'pkcs1' && type !== 'pkcs8') return undefined;
  const rsa = readRsaPrivateKey(der, type);
  if (!rsa) return undefined;
  if (rsa.inconsistent) {
    throw new Error(`not a valid ${format} private key: ${rsa.inconsistent} (Kubernetes: tls: failed to parse private key)`);
  }
  if (decodeMode.eager) return undefined;
  const info: PublicKeyInfo = { algorithm: 'RSA', bits: rsa.bits, spkiSha256: digest('sha256', rsa.spki), description: `RSA ${rsa.bits}` };
  return { kind: 'privateKey', format, encrypted: false, publicKey: info, problems: weakKeyProblems(info) };
}

/** Tries each private key structure in turn (for DER files, which carry no label). */
export function decodePrivateKeyDer(der: Uint8Array): PrivateKeyInfo | undefined {
  for (const [label, { format, type }] of Object.entries(FORMAT_BY_LABEL)) {
    void label;
    try {
      const fast = describeFromStructure(der, format, type);
      if (fast) return fast;
      return describePrivateKeyObject(createPrivateKey({ key: Buffer.from(der), format: 'der', type }), format);
    } catch {
      // try the next structure
    }
  }
  return undefined;
}

function describePrivateKeyObject(key: KeyObject, format: PrivateKeyFormat): PrivateKeyInfo {
  const derived = ecScalarPoint(key);
  if (derived === INVALID_EC_SCALAR) throw new Error(`not a valid ${format} private key: ${INVALID_EC_SCALAR} (Kubernetes: tls: failed to parse private key)`);
  if (derived) return describeEcPublicHalf(derived.spki, derived.curve, format, [storedPointMismatch()]);
  const publicKey = createPublicKey(key);
  const spki = spkiFromJwk(publicKey) ?? new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  const info = describeKeyObject(publicKey, spki);
  return { kind: 'privateKey', format, encrypted: false, publicKey: info, problems: weakKeyProblems(info) };
}

/** An EC key whose stored point is not its scalar's is described by the scalar's point: the one Go (so Kubernetes) uses. */
function storedPointMismatch(): Problem {
  return problem(
    'warning',
    'ec-stored-point-mismatch',
    "the public key stored in this EC private key is not its private key's: Go (so Kubernetes) derives the public key from the private key and uses that one, OpenSSL-based tools (openssl, curl) the stored one; described here: the private key's",
  );
}
