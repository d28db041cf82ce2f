import { createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';

export const KEY_TYPES = ['RSA-2048', 'RSA-3072', 'RSA-4096', 'ECDSA-P256', 'ECDSA-P384'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export interface GeneratedKey {
  keys: CryptoKeyPair;
  /** As kubeadm writes it: "RSA PRIVATE KEY" (PKCS#1) or "EC PRIVATE KEY" (SEC1). */
  privateKeyPem: string;
  /** SubjectPublicKeyInfo PEM ("PUBLIC KEY"), as sa.pub. */
  publicKeyPem: string;
  type: KeyType;
}

const subtle = webcrypto.subtle as unknown as SubtleCrypto;

function algorithmFor(type: KeyType): RsaHashedKeyGenParams | EcKeyGenParams {
  if (type.startsWith('RSA')) {
    return { name: 'RSASSA-PKCS1-v1_5', modulusLength: Number(type.slice(4)), publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  }
  return { name: 'ECDSA', namedCurve: type === 'ECDSA-P256' ? 'P-256' : 'P-384' };
}

/** The signature algorithm a key of this type signs certificates with (as Go and kubeadm do). */
export function signingAlgorithmFor(key: CryptoKey): Algorithm | EcdsaParams {
  if (key.algorithm.name === 'ECDSA') {
    const curve = (key.algorithm as EcKeyAlgorithm).namedCurve;
    return { name: 'ECDSA', hash: curve === 'P-384' ? 'SHA-384' : curve === 'P-521' ? 'SHA-512' : 'SHA-256' } as EcdsaParams;
  }
  return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm;
}

async function toPems(keys: CryptoKeyPair, type: KeyType): Promise<GeneratedKey> {
  const pkcs8 = Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey));
  const keyObject = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const privateKeyPem = keyObject.export({ format: 'pem', type: type.startsWith('RSA') ? 'pkcs1' : 'sec1' }).toString();
  const publicKeyPem = createPublicKey(keyObject).export({ format: 'pem', type: 'spki' }).toString();
  return { keys, privateKeyPem, publicKeyPem, type };
}

/** Generates a key pair off the main thread (OpenSSL's thread pool: concurrent calls use every core). */
export async function generateKey(type: KeyType): Promise<GeneratedKey> {
  const keys = (await subtle.generateKey(algorithmFor(type), true, ['sign', 'verify'])) as CryptoKeyPair;
  return toPems(keys, type);
}

/** Loads an existing PEM private key (PKCS#1, SEC1 or PKCS#8) as a signing key pair. */
export async function importPrivateKeyPem(pem: string): Promise<GeneratedKey> {
  const keyObject = createPrivateKey({ key: pem, format: 'pem' });
  const details = keyObject.asymmetricKeyDetails ?? {};
  let type: KeyType;
  if (keyObject.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 2048;
    type = bits >= 4096 ? 'RSA-4096' : bits >= 3072 ? 'RSA-3072' : 'RSA-2048';
  } else if (keyObject.asymmetricKeyType === 'ec' && (details.namedCurve === 'prime256v1' || details.namedCurve === 'secp384r1')) {
    type = details.namedCurve === 'prime256v1' ? 'ECDSA-P256' : 'ECDSA-P384';
  } else {
    throw new Error(`a ${keyObject.asymmetricKeyType} key ${details.namedCurve ?? ''} cannot sign here (RSA or ECDSA P-256/P-384 only)`);
  }
  const pkcs8 = keyObject.export({ format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(keyObject).export({ format: 'der', type: 'spki' });
  const algorithm = type.startsWith('RSA')
    ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
    : { name: 'ECDSA', namedCurve: type === 'ECDSA-P256' ? 'P-256' : 'P-384' };
  const privateKey = await subtle.importKey('pkcs8', pkcs8, algorithm, true, ['sign']);
  const publicKey = await subtle.importKey('spki', spki, algorithm, true, ['verify']);
  return toPems({ privateKey, publicKey }, type);
}

export function parseKeyType(value: string | undefined): KeyType {
  const type = (value ?? 'RSA-2048').toUpperCase();
  if ((KEY_TYPES as readonly string[]).includes(type)) return type as KeyType;
  throw new Error(`unknown key type "${value}" (one of ${KEY_TYPES.join(', ')})`);
}
