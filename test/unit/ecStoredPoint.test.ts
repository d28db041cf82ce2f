import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { ECPrivateKey } from '@peculiar/asn1-ecc';
import { AsnConvert } from '@peculiar/asn1-schema';
import { decodePrivateKey } from '../../server/src/engine/pki/privateKey';
import { compressedPoint, swappedPoint } from '../support/ecSwappedPoint';

/**
 * Go (crypto/x509 parseECPrivateKey, so tls.X509KeyPair) ignores an EC private key's stored public
 * point and derives it from the scalar; OpenSSL keeps the stored one. kube-pki describes Go's.
 */
const pemOf = (curve: string) => generateKeyPairSync('ec', { namedCurve: curve }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
/** As PublicKeyInfo.spkiSha256 shows it: the SPKI's SHA-256 in upper-case hex pairs. */
const spkiSha256 = (pem: string) =>
  createHash('sha256')
    .update(createPublicKey(pem).export({ format: 'der', type: 'spki' }))
    .digest('hex')
    .toUpperCase()
    .match(/../g)
    ?.join(':');
const WARNING = {
  severity: 'warning',
  code: 'ec-stored-point-mismatch',
  message:
    "the public key stored in this EC private key is not its private key's: Go (so Kubernetes) derives the public key from the private key and uses that one, OpenSSL-based tools (openssl, curl) the stored one; described here: the private key's",
};

describe("an EC private key whose stored public point is not its scalar's", () => {
  for (const [curve, crv] of [
    ['prime256v1', 'P-256'],
    ['secp384r1', 'P-384'],
    ['secp521r1', 'P-521'],
  ]) {
    const [original, other] = [pemOf(curve), pemOf(curve)];
    const swapped = swappedPoint(original, other);
    for (const [label, der] of [
      ['EC PRIVATE KEY', swapped.sec1],
      ['PRIVATE KEY', swapped.pkcs8],
    ] as const) {
      it(`${crv} under ${label}: described by the scalar's point (the original key's), with a warning`, () => {
        const info = decodePrivateKey(label, der);
        assert.equal(info.publicKey?.spkiSha256, spkiSha256(original));
        assert.notEqual(spkiSha256(original), spkiSha256(other));
        assert.deepEqual(info.problems, [WARNING]);
        assert.equal(info.publicKey?.description, `EC ${crv}`);
      });
    }
  }

  it('a key whose stored point is its own has no warning (SEC1 and PKCS#8)', () => {
    const pem = pemOf('prime256v1');
    for (const [label, type] of [
      ['EC PRIVATE KEY', 'sec1'],
      ['PRIVATE KEY', 'pkcs8'],
    ] as const) {
      const info = decodePrivateKey(label, new Uint8Array(createPrivateKey(pem).export({ format: 'der', type })));
      assert.deepEqual(info.problems, []);
      assert.equal(info.publicKey?.spkiSha256, spkiSha256(pem));
    }
  });
});

describe('an EC private key that stores its own point compressed', () => {
  // `openssl ec -conv_form compressed` writes such keys. Go compares points, not their encodings: the key
  // belongs to the certificate of its uncompressed point, so it is described by that point, with no warning.
  for (const [curve, crv] of [
    ['prime256v1', 'P-256'],
    ['secp384r1', 'P-384'],
    ['secp521r1', 'P-521'],
  ]) {
    const original = pemOf(curve);
    const compressed = compressedPoint(original);
    for (const [label, der] of [
      ['EC PRIVATE KEY', compressed.sec1],
      ['PRIVATE KEY', compressed.pkcs8],
    ] as const) {
      it(`${crv} under ${label}: described by the uncompressed point`, () => {
        const info = decodePrivateKey(label, der);
        assert.equal(info.publicKey?.spkiSha256, spkiSha256(original));
        assert.deepEqual(info.problems, []);
      });
    }
  }
});

describe('an EC private scalar of zero or at least the curve order is refused, as Go refuses it', () => {
  const ORDER_P256 = 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551';
  const withScalar = (hex: string): Uint8Array => {
    const key = AsnConvert.parse(swappedPoint(pemOf('prime256v1'), pemOf('prime256v1')).sec1, ECPrivateKey);
    key.privateKey = new (key.privateKey.constructor as new (b: ArrayBuffer) => typeof key.privateKey)(new Uint8Array(Buffer.from(hex, 'hex')).buffer);
    return new Uint8Array(AsnConvert.serialize(key));
  };
  for (const [name, hex] of [
    ['zero', '00'.repeat(32)],
    ['the order', ORDER_P256],
    ['all ones', 'ff'.repeat(32)],
  ]) {
    it(`a scalar of ${name}`, () => {
      assert.throws(() => decodePrivateKey('EC PRIVATE KEY', withScalar(hex)), {
        message: 'not a valid SEC1 private key: x509: invalid elliptic curve private key value (Kubernetes: tls: failed to parse private key)',
      });
    });
  }
});
