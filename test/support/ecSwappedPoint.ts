import { createPrivateKey, ECDH } from 'node:crypto';
import { ECPrivateKey } from '@peculiar/asn1-ecc';
import { AsnConvert } from '@peculiar/asn1-schema';

/** An EC private key as SEC1 and PKCS#8, DER and PEM. */
export interface EcKeyForms {
  sec1: Uint8Array;
  sec1Pem: string;
  pkcs8: Uint8Array;
  pkcs8Pem: string;
}

/** `scalarOf`'s private scalar beside `pointOf`'s public point: what OpenSSL reads as `pointOf`'s key and Go as `scalarOf`'s. */
export function swappedPoint(scalarOf: string, pointOf: string): EcKeyForms {
  const sec1Of = (pem: string) => AsnConvert.parse(createPrivateKey(pem).export({ format: 'der', type: 'sec1' }), ECPrivateKey);
  const key = sec1Of(scalarOf);
  key.publicKey = sec1Of(pointOf).publicKey;
  return forms(new Uint8Array(AsnConvert.serialize(key)));
}

/** A SEC1 key and its PKCS#8 form, each PEM the very DER (OpenSSL's PEM export would re-encode a compressed point). */
function forms(sec1: Uint8Array): EcKeyForms {
  // OpenSSL keeps the stored point's value (and here its form) when it converts to PKCS#8.
  const pkcs8 = new Uint8Array(createPrivateKey({ key: Buffer.from(sec1), format: 'der', type: 'sec1' }).export({ format: 'der', type: 'pkcs8' }));
  return { sec1, sec1Pem: pemOf('EC PRIVATE KEY', sec1), pkcs8, pkcs8Pem: pemOf('PRIVATE KEY', pkcs8) };
}

function pemOf(label: string, der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** `pem`'s own key with its public point stored compressed (as `openssl ec -conv_form compressed` writes it), as SEC1 and PKCS#8. */
export function compressedPoint(pem: string): EcKeyForms {
  const key = AsnConvert.parse(createPrivateKey(pem).export({ format: 'der', type: 'sec1' }), ECPrivateKey);
  // asymmetricKeyDetails names the curve as OpenSSL does (prime256v1, secp384r1), which is what ECDH takes.
  const curve = String(createPrivateKey(pem).asymmetricKeyDetails?.namedCurve);
  key.publicKey = new Uint8Array(ECDH.convertKey(new Uint8Array(key.publicKey ?? []), curve, undefined, undefined, 'compressed') as Buffer).buffer;
  return forms(new Uint8Array(AsnConvert.serialize(key)));
}
