import { constants, verify as cryptoVerify, KeyObject } from 'node:crypto';
import { RsaSaPssParams } from '@peculiar/asn1-rsa';
import { AsnConvert } from '@peculiar/asn1-schema';
import { SIGNATURE_ALGORITHMS } from './oids';
import { errorMessage } from './publicKey';

/** What is signed, how, and the signature: the common shape of a certificate and a CSR. */
export interface SignedData {
  /** DER bytes exactly as signed (tbsCertificate / certificationRequestInfo). */
  tbs: Uint8Array;
  algorithmOid: string;
  /** DER parameters of the signature AlgorithmIdentifier (RSA-PSS needs them). */
  algorithmParameters?: ArrayBuffer | null;
  signature: Uint8Array;
}

export type SignatureVerdict = { status: 'valid' } | { status: 'invalid'; reason: string } | { status: 'unknown'; reason: string };

interface Scheme {
  family: 'rsa' | 'ec' | 'dsa' | 'eddsa' | 'rsa-pss';
  hash: string | null;
}

const SCHEMES: Record<string, Scheme> = {
  '1.2.840.113549.1.1.2': { family: 'rsa', hash: 'md2' },
  '1.2.840.113549.1.1.3': { family: 'rsa', hash: 'md4' },
  '1.2.840.113549.1.1.4': { family: 'rsa', hash: 'md5' },
  '1.2.840.113549.1.1.5': { family: 'rsa', hash: 'sha1' },
  '1.3.14.3.2.29': { family: 'rsa', hash: 'sha1' },
  '1.2.840.113549.1.1.14': { family: 'rsa', hash: 'sha224' },
  '1.2.840.113549.1.1.11': { family: 'rsa', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { family: 'rsa', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { family: 'rsa', hash: 'sha512' },
  '1.2.840.113549.1.1.10': { family: 'rsa-pss', hash: null },
  '1.2.840.10045.4.1': { family: 'ec', hash: 'sha1' },
  '1.2.840.10045.4.3.1': { family: 'ec', hash: 'sha224' },
  '1.2.840.10045.4.3.2': { family: 'ec', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { family: 'ec', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { family: 'ec', hash: 'sha512' },
  '1.2.840.10040.4.3': { family: 'dsa', hash: 'sha1' },
  '2.16.840.1.101.3.4.3.2': { family: 'dsa', hash: 'sha256' },
  '1.3.101.112': { family: 'eddsa', hash: null },
  '1.3.101.113': { family: 'eddsa', hash: null },
};

const HASH_OIDS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const KEY_FAMILY: Record<string, Scheme['family'][]> = {
  rsa: ['rsa', 'rsa-pss'],
  'rsa-pss': ['rsa-pss'],
  ec: ['ec'],
  dsa: ['dsa'],
  ed25519: ['eddsa'],
  ed448: ['eddsa'],
};

/**
 * Signatures handed to OpenSSL in this process: what the bounded-cost tests count
 * (a cached verdict or a key refused up front costs nothing and is not counted).
 */
export const signatureVerifications = { count: 0 };

/**
 * Verifies a signature synchronously with Node's crypto (OpenSSL), over the
 * exact signed bytes. Returns why it failed, or why it could not be checked.
 */
export function verifySignedData(data: SignedData, issuerKey: KeyObject): SignatureVerdict {
  const scheme = SCHEMES[data.algorithmOid];
  const algorithmName = SIGNATURE_ALGORITHMS[data.algorithmOid] ?? data.algorithmOid;
  if (!scheme) return { status: 'unknown', reason: `signature algorithm ${algorithmName} is not supported` };
  const keyType = issuerKey.asymmetricKeyType ?? 'unknown';
  if (!(KEY_FAMILY[keyType] ?? []).includes(scheme.family)) {
    return { status: 'invalid', reason: `a ${keyType.toUpperCase()} key cannot make a ${algorithmName} signature` };
  }
  signatureVerifications.count++;
  try {
    let ok: boolean;
    if (scheme.family === 'rsa-pss') {
      const params = data.algorithmParameters ? AsnConvert.parse(data.algorithmParameters, RsaSaPssParams) : new RsaSaPssParams();
      const hash = HASH_OIDS[params.hashAlgorithm.algorithm];
      if (!hash) return { status: 'unknown', reason: `RSASSA-PSS with hash ${params.hashAlgorithm.algorithm} is not supported` };
      ok = cryptoVerify(hash, data.tbs, { key: issuerKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength }, data.signature);
    } else if (scheme.family === 'ec' || scheme.family === 'dsa') {
      ok = cryptoVerify(scheme.hash, data.tbs, { key: issuerKey, dsaEncoding: 'der' }, data.signature);
    } else {
      ok = cryptoVerify(scheme.hash, data.tbs, issuerKey, data.signature);
    }
    return ok ? { status: 'valid' } : { status: 'invalid', reason: `the ${algorithmName} signature does not verify with the issuer's public key` };
  } catch (e) {
    return { status: 'unknown', reason: `the ${algorithmName} signature cannot be checked here: ${errorMessage(e)}` };
  }
}
