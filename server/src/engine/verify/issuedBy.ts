import type { KeyObject } from 'node:crypto';
import type { CertificateInfo } from '../pki/certificate';
import { loadPublicKey } from '../pki/publicKey';
import { verifySignedData } from '../pki/signature';
import { Verdict, fail, pass } from './verdict';

// Importing a public key costs more than verifying with it: cache per issuer (by the issuer object).
const keyCache = new WeakMap<CertificateInfo, KeyObject | null>();

function issuerKeyOf(issuer: CertificateInfo): KeyObject | undefined {
  let key = keyCache.get(issuer);
  if (key === undefined) {
    key = loadPublicKey(issuer.spki) ?? null;
    keyCache.set(issuer, key);
  }
  return key ?? undefined;
}

/** Does `cert`'s signature verify under `issuer`'s public key? */
export function checkSignature(cert: CertificateInfo, issuer: CertificateInfo): Verdict {
  const key = issuerKeyOf(issuer);
  if (!key) return fail(`the issuer's ${issuer.publicKey.description} key cannot be used to verify signatures`);
  const verdict = verifySignedData(cert.signed, key);
  if (verdict.status === 'valid') return pass(`signature verifies with the key of ${issuer.subject.text}`);
  return fail(verdict.reason);
}


/** Is `cert` issued by `issuer`: names chain and the signature verifies. */
export function checkIssuedBy(cert: CertificateInfo, issuer: CertificateInfo): Verdict {
  if (cert.issuer.comparable !== issuer.subject.comparable) {
    return fail(`its issuer is "${cert.issuer.text}", not "${issuer.subject.text}"`);
  }
  if (cert.authorityKeyId && issuer.subjectKeyId && cert.authorityKeyId !== issuer.subjectKeyId) {
    return fail(`its Authority Key Identifier ${cert.authorityKeyId} differs from the CA's Subject Key Identifier ${issuer.subjectKeyId}: a different CA with the same name`);
  }
  return checkSignature(cert, issuer);
}
