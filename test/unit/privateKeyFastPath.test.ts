import assert from 'node:assert/strict';
import { createPrivateKey, ECDH, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ECPrivateKey } from '@peculiar/asn1-ecc';
import { RSAPrivateKey } from '@peculiar/asn1-rsa';
import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn1js from 'asn1js';
import { decodeMode } from '../../server/src/engine/pki/decodeMode';
import { readEcPrivateKey } from '../../server/src/engine/pki/ecPrivateKey';
import { scanPem } from '../../server/src/engine/pki/pem';
import { decodePrivateKey, isPrivateKeyLabel } from '../../server/src/engine/pki/privateKey';
import { readRsaPrivateKey } from '../../server/src/engine/pki/rsaPrivateKey';
import { CORPUS_DIR, filesUnder, REPO_ROOT } from '../support/paths';

/**
 * An RSA private key is described from its structure instead of OpenSSL's decoder. Every key the
 * tests, examples and corpora hold, generated keys and mutated ones must get the same PrivateKeyInfo
 * (or the same error) as through OpenSSL, or the fast route must decline.
 */
type Outcome = { info: unknown } | { error: string };

function outcome(decode: () => unknown): Outcome {
  try {
    return { info: decode() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The fast route's and OpenSSL's outcome for one key. */
function bothRoutes(label: string, der: Uint8Array, headers: Record<string, string> = {}): { fast: Outcome; openssl: Outcome } {
  const fast = outcome(() => decodePrivateKey(label, der, headers));
  decodeMode.eager = true;
  try {
    return { fast, openssl: outcome(() => decodePrivateKey(label, der, headers)) };
  } finally {
    decodeMode.eager = false;
  }
}

const LABEL = { pkcs1: 'RSA PRIVATE KEY', pkcs8: 'PRIVATE KEY' } as const;

function generated(bits: number, publicExponent: number, type: 'pkcs1' | 'pkcs8'): Uint8Array {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent });
  return new Uint8Array(privateKey.export({ format: 'der', type }));
}

/** A PKCS#1 key with its fields changed through the schema (serialised again as DER). */
function mutated(der: Uint8Array, change: (key: RSAPrivateKey) => void): Uint8Array {
  const key = AsnConvert.parse(der, RSAPrivateKey);
  change(key);
  return new Uint8Array(AsnConvert.serialize(key));
}

const bigIntBytes = (n: bigint): ArrayBuffer => {
  const hex = n.toString(16);
  const padded = (hex.length % 2 ? '0' : '') + hex;
  return new Uint8Array(Buffer.from((Number.parseInt(padded.slice(0, 2), 16) & 0x80 ? '00' : '') + padded, 'hex')).buffer;
};
const toBigInt = (b: ArrayBuffer) => BigInt(`0x${Buffer.from(b).toString('hex')}`);

describe('an RSA private key read from its structure says what OpenSSL says', () => {
  it('every private key in test/fixtures, examples and the corpora (by PEM label)', () => {
    const dirs = [join(REPO_ROOT, 'test', 'fixtures'), join(REPO_ROOT, 'examples'), CORPUS_DIR];
    let keys = 0;
    let fast = 0;
    for (const file of dirs.flatMap((d) => filesUnder(d, 4_000_000))) {
      const text = readFileSync(file, 'latin1');
      if (!text.includes('PRIVATE KEY-----')) continue;
      for (const block of scanPem(text)) {
        if (!block.der || !isPrivateKeyLabel(block.label)) continue;
        keys++;
        const routes = bothRoutes(block.label, block.der, block.headers);
        assert.deepStrictEqual(routes.fast, routes.openssl, `${file} block ${block.index}`);
        if (block.label in { 'RSA PRIVATE KEY': 1, 'PRIVATE KEY': 1 } && readRsaPrivateKey(block.der, block.label === 'PRIVATE KEY' ? 'pkcs8' : 'pkcs1'))
          fast++;
      }
    }
    assert.ok(keys > 10, `only ${keys} private keys found`);
    assert.ok(fast > 0, 'no key took the fast route');
  });

  for (const type of ['pkcs1', 'pkcs8'] as const) {
    for (const [bits, e] of [
      [1024, 65537],
      [2048, 65537],
      [4096, 65537],
      [2048, 3],
    ]) {
      it(`a generated RSA ${bits} key (e=${e}) as ${type} takes the fast route and gets OpenSSL's description`, () => {
        const der = generated(bits, e, type);
        assert.ok(readRsaPrivateKey(der, type), 'the fast route declined a canonical key');
        const routes = bothRoutes(LABEL[type], der);
        assert.deepStrictEqual(routes.fast, routes.openssl);
        assert.equal((routes.fast as { info: { publicKey: { description: string } } }).info.publicKey.description, `RSA ${bits}`);
      });
    }
  }
});

describe('the fast route declines every key that is not canonical, and the OpenSSL route judges it', () => {
  const base = generated(2048, 65537, 'pkcs1');
  const declined: Array<[string, () => Uint8Array]> = [
    [
      'a BER long-form length on the public exponent',
      () => {
        const parsed = asn1js.fromBER(base);
        const exponent = (parsed.result as asn1js.Sequence).valueBlock.value[2] as asn1js.Integer & { lenBlock: { longFormUsed: boolean } };
        exponent.lenBlock.longFormUsed = true;
        const der = new Uint8Array(parsed.result.toBER());
        assert.equal(der.length, base.length + 1);
        return der;
      },
    ],
    ['a negative modulus', () => mutated(base, (k) => void (k.modulus = new Uint8Array(k.modulus).subarray(1).slice().buffer))],
    ['a zero modulus', () => mutated(base, (k) => void (k.modulus = new Uint8Array([0]).buffer))],
    ['a padded modulus (not minimal)', () => mutated(base, (k) => void (k.modulus = new Uint8Array([0, ...new Uint8Array(k.modulus)]).buffer))],
    ['trailing bytes', () => new Uint8Array([...base, 0x00])],
    ['version 1 (multi-prime)', () => mutated(base, (k) => void (k.version = 1))],
  ];
  for (const [name, make] of declined) {
    it(name, () => {
      const der = make();
      assert.equal(readRsaPrivateKey(der, 'pkcs1'), undefined);
      const routes = bothRoutes('RSA PRIVATE KEY', der);
      assert.deepStrictEqual(routes.fast, routes.openssl);
    });
  }
});

describe('a key whose primes or exponents do not agree is refused as Go refuses it, on both routes', () => {
  const base = generated(2048, 65537, 'pkcs1');
  const cases: Array<[string, (k: RSAPrivateKey) => void, string]> = [
    ['an inconsistent d', (k) => void (k.privateExponent = bigIntBytes(toBigInt(k.privateExponent) + 2n)), 'crypto/rsa: invalid exponents'],
    ['an inconsistent p', (k) => void (k.prime1 = bigIntBytes(toBigInt(k.prime1) + 2n)), 'crypto/rsa: invalid modulus'],
  ];
  for (const [name, change, reason] of cases) {
    it(name, () => {
      const der = mutated(base, change);
      // OpenSSL's decoder takes it (it checks neither): Kubernetes does not.
      assert.doesNotThrow(() => createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs1' }));
      const routes = bothRoutes('RSA PRIVATE KEY', der);
      assert.deepStrictEqual(routes.fast, routes.openssl);
      assert.deepStrictEqual(routes.fast, { error: `not a valid PKCS#1 private key: ${reason} (Kubernetes: tls: failed to parse private key)` });
    });
  }
});

describe('a SEC1 EC private key read from its structure says what OpenSSL says', () => {
  const sec1 = (namedCurve: string): Uint8Array => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve });
    return new Uint8Array(privateKey.export({ format: 'der', type: 'sec1' }));
  };
  for (const [namedCurve, crv] of [
    ['prime256v1', 'P-256'],
    ['secp384r1', 'P-384'],
    ['secp521r1', 'P-521'],
  ]) {
    it(`a generated ${crv} key takes the fast route and gets OpenSSL's description`, () => {
      const der = sec1(namedCurve);
      assert.ok(readEcPrivateKey(der), 'the fast route declined a canonical key');
      const routes = bothRoutes('EC PRIVATE KEY', der);
      assert.deepStrictEqual(routes.fast, routes.openssl);
      assert.equal((routes.fast as { info: { publicKey: { description: string } } }).info.publicKey.description, `EC ${crv}`);
    });
  }

  const base = sec1('prime256v1');
  const ecMutated = (change: (key: ECPrivateKey) => void): Uint8Array => {
    const key = AsnConvert.parse(base, ECPrivateKey);
    change(key);
    return new Uint8Array(AsnConvert.serialize(key));
  };
  const declined: Array<[string, () => Uint8Array]> = [
    ['a P-224 key (no JWK curve)', () => sec1('secp224r1')],
    [
      "a public point that is not the scalar's (OpenSSL keeps it, Go derives its own: described by the scalar's, with a warning)",
      () => ecMutated((k) => void (k.publicKey = AsnConvert.parse(sec1('prime256v1'), ECPrivateKey).publicKey)),
    ],
    ['no public key', () => ecMutated((k) => void (k.publicKey = undefined))],
    [
      'a compressed point',
      () =>
        ecMutated(
          (k) =>
            void (k.publicKey = new Uint8Array(
              ECDH.convertKey(new Uint8Array(k.publicKey ?? []), 'prime256v1', undefined, undefined, 'compressed') as Buffer,
            ).buffer),
        ),
    ],
    [
      'a short scalar',
      () =>
        ecMutated(
          (k) =>
            void (k.privateKey = new (k.privateKey.constructor as new (b: ArrayBuffer) => typeof k.privateKey)(
              new Uint8Array(k.privateKey.buffer).slice(1).buffer,
            )),
        ),
    ],
    ['trailing bytes', () => new Uint8Array([...base, 0x00])],
  ];
  for (const [name, make] of declined) {
    it(`declines ${name}, and the OpenSSL route judges it`, () => {
      const der = make();
      assert.equal(readEcPrivateKey(der), undefined);
      const routes = bothRoutes('EC PRIVATE KEY', der);
      assert.deepStrictEqual(routes.fast, routes.openssl);
    });
  }
});
