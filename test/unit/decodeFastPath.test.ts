import assert from 'node:assert/strict';
import { ECDH } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as asn1js from 'asn1js';
import { describeObject } from '../../server/src/engine/format/describe';
import { decodeCertificate } from '../../server/src/engine/pki/certificate';
import { decodeCsr } from '../../server/src/engine/pki/csr';
import { decodePemText, decodePkiBytes, PkiObject } from '../../server/src/engine/pki/decode';
import { decodeMode } from '../../server/src/engine/pki/decodeMode';
import { makeKubeadmNode } from '../support/clusterFixture';
import { missingPeer, OpensslWorkspace } from '../support/openssl';
import { CORPUS_DIR, filesUnder, REPO_ROOT } from '../support/paths';

/**
 * The certificate decode takes shortcuts (the SPKI sliced from the parse when it is DER, an RSA
 * key described from its components instead of imported). Every certificate and CSR the tests
 * and corpora hold must decode to the same object, and describe the same, as on the plain route:
 * the rules read nothing else, so the same objects give the same findings.
 */
const AT = new Date('2026-06-01T00:00:00Z');

function pemStrings(value: unknown): string[] {
  if (typeof value === 'string') return value.includes('-----BEGIN') ? [value] : [];
  if (value && typeof value === 'object') return Object.values(value).flatMap(pemStrings);
  return [];
}

/** Each certificate and CSR (its DER) found in these objects. */
type Signed = { kind: 'certificate' | 'csr'; der: Uint8Array };

function signedObjects(objects: Array<PkiObject | undefined>): Signed[] {
  return objects.flatMap((o): Signed[] => (o?.kind === 'certificate' || o?.kind === 'csr' ? [{ kind: o.kind, der: o.der }] : []));
}

function decodeBoth(kind: 'certificate' | 'csr', der: Uint8Array): { fast: PkiObject; eager: PkiObject } {
  const decode = (bytes: Uint8Array): PkiObject => (kind === 'certificate' ? decodeCertificate(bytes) : decodeCsr(bytes));
  const fast = decode(der);
  decodeMode.eager = true;
  try {
    return { fast, eager: decode(der) };
  } finally {
    decodeMode.eager = false;
  }
}

/** The same certificate with one element's length in long form: BER, not DER (the fast route must step aside). */
function withLongFormLength(der: Uint8Array, pick: (tbsFields: asn1js.AsnType[]) => asn1js.AsnType | undefined): Uint8Array | undefined {
  const parsed = asn1js.fromBER(der);
  const fields = ((parsed.result as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence).valueBlock.value;
  const element = pick(fields) as (asn1js.BaseBlock & { lenBlock: { longFormUsed: boolean } }) | undefined;
  if (!element) return undefined;
  element.lenBlock.longFormUsed = true;
  return new Uint8Array(parsed.result.toBER());
}

const spkiOf = (fields: asn1js.AsnType[]) => fields[fields[0]?.idBlock.tagClass === 3 ? 6 : 5];

describe('the fast certificate decode says what the plain one says', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'kube-pki-fastpath-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const nodeFiles = (): string[] => {
    if (!existsSync(join(scratch, 'node'))) makeKubeadmNode(join(scratch, 'node'));
    return filesUnder(join(scratch, 'node'), 4_000_000);
  };

  const sources: Array<{ name: string; objects: () => Array<PkiObject | undefined> }> = [
    {
      name: 'test/fixtures and the corpora (robustness, realworld)',
      objects: () =>
        [join(REPO_ROOT, 'test', 'fixtures'), join(CORPUS_DIR, 'robustness'), join(CORPUS_DIR, 'realworld')]
          .flatMap((d) => filesUnder(d, 4_000_000))
          .flatMap((f) => decodePkiBytes(new Uint8Array(readFileSync(f))).blocks.map((b) => b.object)),
    },
    {
      name: 'the x509-limbo corpus',
      objects: () => {
        const path = join(CORPUS_DIR, 'x509-limbo', 'public.json');
        const pems = pemStrings(JSON.parse(readFileSync(path, 'utf8')));
        return pems.flatMap((pem) => decodePemText(pem).blocks.map((b) => b.object));
      },
    },
    {
      name: 'a kubeadm node',
      objects: () => {
        return nodeFiles().flatMap((f) => decodePkiBytes(new Uint8Array(readFileSync(f))).blocks.map((b) => b.object));
      },
    },
  ];

  for (const source of sources) {
    // Without the shared corpus (a laptop), the fixtures and the kubeadm node still run; CI has it.
    const skip = source.name.includes('limbo') && !existsSync(join(CORPUS_DIR, 'x509-limbo')) ? 'corpus not found' : false;
    it(source.name, { skip }, () => {
      const signed = signedObjects(source.objects());
      assert.ok(signed.length > 0, `no certificate found in ${source.name}`);
      for (const { kind, der } of signed) {
        const { fast, eager } = decodeBoth(kind, der);
        assert.deepStrictEqual(fast, eager);
        assert.deepStrictEqual(describeObject(fast, AT), describeObject(eager, AT));
      }
    });
  }

  it('a certificate whose key is not DER-encoded gets the same key as on the plain route', () => {
    const node = nodeFiles().filter((f) => f.endsWith('.crt'));
    const certificates = signedObjects(node.flatMap((f) => decodePkiBytes(new Uint8Array(readFileSync(f))).blocks.map((b) => b.object)));
    assert.ok(certificates.length > 0);
    // A length already in long form (an RSA key's) stays as it was: only real variants count.
    const variants = certificates.flatMap(({ der }) =>
      [withLongFormLength(der, spkiOf), withLongFormLength(der, (fields) => (spkiOf(fields) as asn1js.Sequence).valueBlock.value[0])].filter(
        (v): v is Uint8Array => v !== undefined && !Buffer.from(v).equals(Buffer.from(der)),
      ),
    );
    assert.ok(variants.length >= certificates.length);
    for (const der of variants) {
      const { fast, eager } = decodeBoth('certificate', der);
      assert.deepStrictEqual(fast, eager);
      // The schema's DER, not the bytes as read: a key compares by its canonical form.
      assert.ok(fast.kind === 'certificate' && !Buffer.from(der).includes(Buffer.from(fast.spki)));
    }
  });

  // The point of a named-curve key is judged by curvePoint.ts, no longer by ECDH.convertKey (OpenSSL):
  // each variant's key must be accepted exactly when convertKey accepts its point.
  it('an EC point is accepted exactly when ECDH.convertKey accepts it (P-256, P-384, P-521)', { skip: missingPeer('openssl') }, () => {
    const ws = new OpensslWorkspace();
    try {
      const judged = { accepted: 0, refused: 0 };
      for (const [openssl, crv, size, p] of CURVES) {
        const der = certificateDer(ws.read(basename(ws.ca(openssl, `/CN=${openssl}`, { key: ws.ecKey(`${openssl}.key`, openssl) }))));
        const cert = decodeCertificate(der);
        assert.ok(cert.kind === 'certificate' && cert.publicKey.description === `EC ${crv}`);
        const point = cert.spki.subarray(cert.spki.length - (1 + 2 * size));
        const at = Buffer.from(der).indexOf(Buffer.from(point));
        const y = BigInt(`0x${Buffer.from(point.subarray(1 + size)).toString('hex')}`);
        // The same x with -y is on the curve; a flipped bit of y is not; y + p is out of range (when it fits).
        const ys = [p - y, y ^ 1n, y + p].filter((v) => v < 1n << BigInt(8 * size));
        for (const other of ys) {
          const variant = new Uint8Array(der);
          variant.set(Buffer.from(other.toString(16).padStart(2 * size, '0'), 'hex'), at + 1 + size);
          const newPoint = variant.subarray(at, at + 1 + 2 * size);
          const openSslAccepts = convertKeyAccepts(newPoint, openssl);
          const decoded = decodeCertificate(variant);
          assert.ok(decoded.kind === 'certificate');
          assert.equal(decoded.publicKey.description === `EC ${crv}`, openSslAccepts, `${crv} y=${other.toString(16)}`);
          judged[openSslAccepts ? 'accepted' : 'refused']++;
        }
      }
      assert.ok(judged.accepted >= 3 && judged.refused >= 3, JSON.stringify(judged));
    } finally {
      rmSync(ws.dir, { recursive: true, force: true });
    }
  });
});

/** OpenSSL's curve name, the JWK curve, the coordinate size and the field prime. */
const CURVES: Array<[string, string, number, bigint]> = [
  ['prime256v1', 'P-256', 32, 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n],
  ['secp384r1', 'P-384', 48, 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n],
  ['secp521r1', 'P-521', 66, 2n ** 521n - 1n],
];

function convertKeyAccepts(point: Uint8Array, curve: string): boolean {
  try {
    ECDH.convertKey(point, curve, undefined, undefined, 'uncompressed');
    return true;
  } catch {
    return false;
  }
}

function certificateDer(pem: string): Uint8Array {
  const object = decodePemText(pem).blocks[0]?.object;
  assert.ok(object?.kind === 'certificate');
  return object.der;
}
