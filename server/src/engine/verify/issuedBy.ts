import { getOrMake } from '../memo';
import type { CertificateInfo } from '../pki/certificate';
import { loadPublicKey, unusableRsaKey } from '../pki/publicKey';
import { verifySignedData } from '../pki/signature';
import { fail, pass, Verdict } from './verdict';

// Decoded certificates are shared and immutable (cached by content, and by a checker
// between runs): a signature is verified once per pair.
const verdicts = new WeakMap<CertificateInfo, WeakMap<CertificateInfo, Verdict>>();

/** Does `cert`'s signature verify under `issuer`'s public key? */
export function checkSignature(cert: CertificateInfo, issuer: CertificateInfo): Verdict {
  return getOrMake(
    getOrMake(verdicts, cert, () => new WeakMap()),
    issuer,
    () => verifyWith(cert, issuer),
  );
}

function verifyWith(cert: CertificateInfo, issuer: CertificateInfo): Verdict {
  // loadPublicKey keeps one KeyObject per decoded SPKI: importing costs more than verifying.
  const unusable = unusableRsaKey(issuer.spki);
  if (unusable) return fail(`the issuer's ${issuer.publicKey.description} key cannot be used: ${unusable.reason}`);
  const key = loadPublicKey(issuer.spki);
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
    return fail(
      `its Authority Key Identifier ${cert.authorityKeyId} differs from the CA's Subject Key Identifier ${issuer.subjectKeyId}: a different CA with the same name`,
    );
  }
  return checkSignature(cert, issuer);
}
