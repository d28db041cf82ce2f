import { PrivateKeyInfo as Pkcs8PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { RSAPrivateKey, RSAPublicKey } from '@peculiar/asn1-rsa';
import { AsnConvert, AsnParser } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { unsignedBigInt } from './bigInteger';
import { canonicalSequence } from './derSlice';
import { bitLength, MAX_RSA_MODULUS_BITS, MAX_RSA_PUBLIC_EXPONENT, positiveMinimal, RSA_ENCRYPTION } from './rsaKey';

/**
 * The public half of an RSA private key as its structure holds it: the SPKI DER OpenSSL's export
 * would give (rsaEncryption, NULL parameters, RSAPublicKey { n, e }) and the modulus's bits.
 * `inconsistent` says why Go would refuse the key although OpenSSL reads it.
 */
export interface RsaPublicHalf {
  spki: Uint8Array;
  bits: number;
  inconsistent?: string;
}

/**
 * Reads an RSA private key (PKCS#1, or PKCS#8 around it) with the ASN.1 schemas, without OpenSSL's
 * decoder (about 200 us a key cold, most of a check's key time). Only a key OpenSSL would read
 * the same way is taken: canonical DER throughout, no trailing bytes, version 0 with two primes,
 * every INTEGER positive and minimal, a usable exponent and a modulus within Go's TLS limit.
 * Anything else is undefined and goes through OpenSSL as before, so what is accepted does not change.
 */
export function readRsaPrivateKey(der: Uint8Array, type: 'pkcs1' | 'pkcs8'): RsaPublicHalf | undefined {
  try {
    const pkcs1 = type === 'pkcs1' ? der : rsaInsidePkcs8(der);
    return pkcs1 && readPkcs1(pkcs1);
  } catch {
    return undefined;
  }
}

/** The RSAPrivateKey bytes of a PKCS#8 v1 PrivateKeyInfo with rsaEncryption (NULL parameters) and no attributes. */
function rsaInsidePkcs8(der: Uint8Array): Uint8Array | undefined {
  const root = canonicalSequence(der, 3, 0);
  // The key is a primitive OCTET STRING (DER); version, algorithm and key, nothing more.
  if (!root || root.valueBlock.value[2].idBlock.isConstructed) return undefined;
  const info = AsnParser.fromASN(root, Pkcs8PrivateKeyInfo);
  const algorithm = info.privateKeyAlgorithm;
  if (info.version !== 0 || info.attributes || algorithm.algorithm !== RSA_ENCRYPTION || algorithm.parameters !== null) return undefined;
  return new Uint8Array(info.privateKey.buffer);
}

function readPkcs1(der: Uint8Array): RsaPublicHalf | undefined {
  // Version 0 has exactly nine INTEGERs: version, n, e, d, p, q, d mod p-1, d mod q-1, q^-1 mod p.
  const root = canonicalSequence(der, 9, 0);
  if (!root) return undefined;
  const key = AsnParser.fromASN(root, RSAPrivateKey);
  if (key.version !== 0 || key.otherPrimeInfos) return undefined;
  const n = positiveMinimal(key.modulus);
  const e = positiveMinimal(key.publicExponent);
  const integers = [key.privateExponent, key.prime1, key.prime2, key.exponent1, key.exponent2, key.coefficient];
  if (!n || !e || !integers.every((i) => positiveMinimal(i))) return undefined;
  const bits = bitLength(n);
  const exponent = unsignedBigInt(e);
  if (bits > MAX_RSA_MODULUS_BITS || exponent < 3n || exponent > BigInt(MAX_RSA_PUBLIC_EXPONENT)) return undefined;
  const half: RsaPublicHalf = { spki: rsaSpki(key.modulus, key.publicExponent), bits };
  const inconsistent = goValidate(unsignedBigInt(n), exponent, unsignedBigInt(key.privateExponent), unsignedBigInt(key.prime1), unsignedBigInt(key.prime2));
  if (inconsistent) half.inconsistent = inconsistent;
  return half;
}

/**
 * Go's rsa.(*PrivateKey).Validate, which x509.ParsePKCS1PrivateKey runs on every key
 * (golang/go src/crypto/x509/pkcs1.go; src/crypto/rsa/rsa.go): the primes multiply to N
 * ("crypto/rsa: invalid modulus") and d*e = 1 mod p-1 for each prime ("crypto/rsa: invalid
 * exponents"). OpenSSL's decoder checks neither, so such a key reads there but no Kubernetes
 * component loads it (tls.X509KeyPair: "tls: failed to parse private key").
 */
function goValidate(n: bigint, e: bigint, d: bigint, p: bigint, q: bigint): string | undefined {
  if (p <= 1n || q <= 1n) return 'crypto/rsa: invalid prime value';
  if (p * q !== n) return 'crypto/rsa: invalid modulus';
  const de = d * e;
  if (de % (p - 1n) !== 1n || de % (q - 1n) !== 1n) return 'crypto/rsa: invalid exponents';
  return undefined;
}

/** SubjectPublicKeyInfo { rsaEncryption NULL, RSAPublicKey { n, e } }: minimal positive integers serialise as read, as OpenSSL writes them. */
function rsaSpki(modulus: ArrayBuffer, publicExponent: ArrayBuffer): Uint8Array {
  const publicKey = AsnConvert.serialize(new RSAPublicKey({ modulus, publicExponent }));
  const algorithm = new AlgorithmIdentifier({ algorithm: RSA_ENCRYPTION, parameters: null });
  return new Uint8Array(AsnConvert.serialize(new SubjectPublicKeyInfo({ algorithm, subjectPublicKey: publicKey })));
}
