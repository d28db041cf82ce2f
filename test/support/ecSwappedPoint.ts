import { createPrivateKey } from 'node:crypto';
import { ECPrivateKey } from '@peculiar/asn1-ecc';
import { AsnConvert } from '@peculiar/asn1-schema';

/** An EC private key with the scalar of one key and the stored public point of another (same curve), as SEC1 and PKCS#8. */
export interface SwappedPointKey {
  sec1: Uint8Array;
  sec1Pem: string;
  pkcs8: Uint8Array;
  pkcs8Pem: string;
}

/** `scalarOf`'s private scalar beside `pointOf`'s public point: what OpenSSL reads as `pointOf`'s key and Go as `scalarOf`'s. */
export function swappedPoint(scalarOf: string, pointOf: string): SwappedPointKey {
  const sec1Of = (pem: string) => AsnConvert.parse(createPrivateKey(pem).export({ format: 'der', type: 'sec1' }), ECPrivateKey);
  const key = sec1Of(scalarOf);
  key.publicKey = sec1Of(pointOf).publicKey;
  const sec1 = new Uint8Array(AsnConvert.serialize(key));
  // OpenSSL keeps the stored point when it converts, so the PKCS#8 form carries the same swap.
  const object = createPrivateKey({ key: Buffer.from(sec1), format: 'der', type: 'sec1' });
  return {
    sec1,
    sec1Pem: object.export({ format: 'pem', type: 'sec1' }).toString(),
    pkcs8: new Uint8Array(object.export({ format: 'der', type: 'pkcs8' })),
    pkcs8Pem: object.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}
