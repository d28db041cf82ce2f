import { RSAPublicKey } from '@peculiar/asn1-rsa';
import { AsnConvert, AsnParser } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import { getOrMake } from '../memo';
import { BER_LIMITS } from './berLimits';
import { derSlice } from './derSlice';

export const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const RSA_PSS = '1.2.840.113549.1.1.10';

/**
 * Go's limits on an RSA public key. crypto/rsa's checkPub refuses an exponent
 * above 1<<31-1 ("crypto/rsa: public exponent too large") before any verification;
 * crypto/x509's parsePublicKey refuses a non-positive modulus or exponent; and
 * crypto/tls refuses a certificate whose RSA modulus is over 8192 bits
 * (defaultMaxRSAKeySize: "tls: server sent certificate containing RSA key larger
 * than 8192 bits"). OpenSSL would verify with a 2,040-bit exponent at the cost of a
 * private-key operation: a bundle of such keys made every check slow.
 */
export const MAX_RSA_PUBLIC_EXPONENT = 2 ** 31 - 1;
export const MAX_RSA_MODULUS_BITS = 8192;

/** What a key Go refuses is: its algorithm and size, and why it cannot be used. */
export interface UnusableRsaKey {
  algorithm: 'RSA' | 'RSA-PSS';
  bits: number;
  reason: string;
}

/** An RSA or RSA-PSS SubjectPublicKeyInfo as the schemas read it: one parse serves every question asked of the key. */
interface RsaKey {
  algorithm: 'RSA' | 'RSA-PSS';
  bits: number;
  unusable?: UnusableRsaKey;
  /**
   * The JWK components, only for an rsaEncryption key (NULL parameters) whose RSAPublicKey is DER
   * (what serialising it again would give) and whose integers are positive and minimal.
   */
  jwk?: { n: string; e: string };
}

const rsaKeys = new WeakMap<Uint8Array, RsaKey | null>();

/** The RSA key of this SPKI, or undefined for any other key or one the schemas cannot read. `spki` is its structure when already parsed. */
export function readRsaKey(spkiDer: Uint8Array, spki?: SubjectPublicKeyInfo): RsaKey | undefined {
  return (
    getOrMake(rsaKeys, spkiDer, () => {
      try {
        const info = spki ?? AsnConvert.parse(spkiDer, SubjectPublicKeyInfo);
        const oid = info.algorithm.algorithm;
        if (oid !== RSA_ENCRYPTION && oid !== RSA_PSS) return null;
        const bitString = new Uint8Array(info.subjectPublicKey);
        const parsed = asn1js.fromBER(bitString, BER_LIMITS);
        if (parsed.result.error) throw new Error(parsed.result.error);
        const rsa = AsnParser.fromASN(parsed.result, RSAPublicKey);
        const algorithm = oid === RSA_PSS ? 'RSA-PSS' : 'RSA';
        const bits = bitLength(new Uint8Array(rsa.modulus));
        const key: RsaKey = { algorithm, bits, unusable: unusableReason(algorithm, bits, bitLength(new Uint8Array(rsa.publicExponent))) };
        const n = positiveMinimal(rsa.modulus);
        const e = positiveMinimal(rsa.publicExponent);
        if (oid === RSA_ENCRYPTION && info.algorithm.parameters === null && n && e && parsed.offset === bitString.length && derSlice(parsed.result))
          key.jwk = { n: Buffer.from(n).toString('base64url'), e: Buffer.from(e).toString('base64url') };
        return key;
      } catch {
        return null;
      }
    }) ?? undefined
  );
}

function unusableReason(algorithm: 'RSA' | 'RSA-PSS', bits: number, exponentBits: number): UnusableRsaKey | undefined {
  if (exponentBits > 31) {
    return {
      algorithm,
      bits,
      reason: `its RSA public exponent has ${exponentBits} bits, above 2^31-1, which Go refuses (crypto/rsa: public exponent too large): the key cannot be used and no signature is checked with it`,
    };
  }
  if (bits > MAX_RSA_MODULUS_BITS) {
    return {
      algorithm,
      bits,
      reason: `its RSA modulus has ${bits} bits, over the ${MAX_RSA_MODULUS_BITS} bits Go's TLS accepts (crypto/tls: RSA key larger than ${MAX_RSA_MODULUS_BITS} bits): the key cannot be used and no signature is checked with it`,
    };
  }
  return undefined;
}

/**
 * The reason Go would refuse this RSA (or RSA-PSS) SubjectPublicKeyInfo, read with
 * the ASN.1 schemas without importing it; undefined for any other key, a key within
 * the limits, or one the schemas cannot read (the usual import path judges those).
 */
export function unusableRsaKey(spkiDer: Uint8Array, encodedFrom?: SubjectPublicKeyInfo): UnusableRsaKey | undefined {
  return readRsaKey(spkiDer, encodedFrom)?.unusable;
}

/** Bits of a DER INTEGER's magnitude (leading zero bytes ignored; a negative number counts its bytes, and Go refuses it anyway). */
export function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]));
}

/** The magnitude of a DER INTEGER that is positive, non-zero and minimally encoded; undefined otherwise. */
export function positiveMinimal(integer: ArrayBuffer): Uint8Array | undefined {
  const bytes = new Uint8Array(integer);
  if (bytes.length === 0 || (bytes[0] & 0x80) !== 0) return undefined;
  if (bytes[0] !== 0) return bytes;
  return bytes.length > 1 && (bytes[1] & 0x80) !== 0 ? bytes.subarray(1) : undefined;
}
