import * as asn1js from 'asn1js';
import { BER_LIMITS } from './berLimits';
import type { DecodedBlock, DecodedFile, PkiObject } from './decode';
import { decodePrivateKey } from './privateKey';
import { errorMessage } from './publicKey';

/**
 * PKCS#12 / PFX files (.p12, .pfx): node-forge opens them. It is pure JS, so the legacy
 * RC2-40 and 3DES PBE (openssl < 3, and `-legacy`) work too, which Node's OpenSSL 3 refuses
 * (RC2 lives in the legacy provider); its PKCS#12 KDF, MAC and PBES2/AES cover openssl 3's default.
 * Only public facts leave this module: the certificates, and each key's public half.
 */

/** The few node-forge shapes read here (loaded when a PFX is met: `check` pays nothing for it). */
interface ForgeAsn1 {
  fromDer(bytes: string, strict?: boolean): unknown;
  toDer(asn1: unknown): { getBytes(): string };
}
interface ForgeBag {
  cert?: object | null;
  key?: object | null;
  asn1?: unknown;
}
interface Forge {
  asn1: ForgeAsn1;
  pkcs12: { pkcs12FromAsn1(asn1: unknown, strict: boolean, password: string): { getBags(filter: { bagType: string }): Record<string, ForgeBag[]> } };
  pki: {
    oids: Record<string, string>;
    certificateToAsn1(cert: object): unknown;
    privateKeyToAsn1(key: object): unknown;
    wrapRsaPrivateKey(asn1: unknown): unknown;
  };
}

function forge(): Forge {
  // Each module registers itself on the shared forge object.
  require('node-forge/lib/pkcs12');
  return require('node-forge/lib/forge') as Forge;
}

/** PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo { contentType OID, ... }, ... } (RFC 7292). */
export function isPkcs12(der: Uint8Array): boolean {
  const parsed = asn1js.fromBER(der, BER_LIMITS);
  const pfx = parsed.result;
  if (parsed.offset === -1 || !(pfx instanceof asn1js.Sequence)) return false;
  const [version, authSafe] = pfx.valueBlock.value;
  if (!(version instanceof asn1js.Integer) || version.valueBlock.valueDec !== 3 || !(authSafe instanceof asn1js.Sequence)) return false;
  const contentType = authSafe.valueBlock.value[0];
  return contentType instanceof asn1js.ObjectIdentifier && contentType.valueBlock.toString().startsWith('1.2.840.113549.1.7.');
}

export class Pkcs12PasswordError extends Error {}

/**
 * Opens a PFX with the empty password first, then each given one. Its certificates and keys
 * become blocks, decoded by the decoder the caller passes (the same as a DER file's).
 */
export function decodePkcs12(der: Uint8Array, passwords: readonly string[], decodeDer: (der: Uint8Array) => PkiObject): DecodedFile {
  const f = forge();
  const asn1 = f.asn1.fromDer(Buffer.from(der).toString('binary'), false);
  let opened: ReturnType<Forge['pkcs12']['pkcs12FromAsn1']> | undefined;
  let lastError: unknown;
  for (const password of ['', ...passwords]) {
    try {
      opened = f.pkcs12.pkcs12FromAsn1(asn1, false, password);
      break;
    } catch (e) {
      lastError = e;
    }
  }
  if (!opened) {
    if (!/password|decrypt/i.test(errorMessage(lastError))) throw lastError;
    throw new Pkcs12PasswordError(
      passwords.length === 0 ? 'the PKCS#12 file needs a password (the empty password does not open it)' : 'the password does not open this PKCS#12 file',
    );
  }
  const toBytes = (node: unknown) => new Uint8Array(Buffer.from(f.asn1.toDer(node).getBytes(), 'binary'));
  const ders: Array<{ label: string; der: Uint8Array; key: boolean }> = [];
  for (const bag of opened.getBags({ bagType: f.pki.oids.certBag })[f.pki.oids.certBag] ?? [])
    ders.push({ label: 'PKCS#12 certificate', der: toBytes(bag.cert ? f.pki.certificateToAsn1(bag.cert) : bag.asn1), key: false });
  for (const type of [f.pki.oids.pkcs8ShroudedKeyBag, f.pki.oids.keyBag]) {
    for (const bag of opened.getBags({ bagType: type })[type] ?? [])
      ders.push({ label: 'PKCS#12 private key', der: toBytes(bag.key ? f.pki.wrapRsaPrivateKey(f.pki.privateKeyToAsn1(bag.key)) : bag.asn1), key: true });
  }
  const blocks = ders.map(({ label, der, key }, index): DecodedBlock => {
    try {
      // A key bag holds a PrivateKeyInfo (PKCS#8), whatever the algorithm.
      return { index, label, object: key ? decodePrivateKey('PRIVATE KEY', der) : decodeDer(der) };
    } catch (e) {
      return { index, label, error: errorMessage(e) };
    }
  });
  return { format: 'pkcs12', blocks, ...(blocks.length === 0 ? { error: 'the PKCS#12 file holds no certificate or key' } : {}) };
}
