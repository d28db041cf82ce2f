import type { PublicKeyInfo } from '../pki/publicKey';
import { fail, pass, Verdict } from './verdict';

/**
 * Do a public key (of a certificate, CSR or public key file) and a private key
 * belong together? Compares the SHA-256 of the SubjectPublicKeyInfo derived
 * from the private key with the one given: exact, algorithm-independent.
 */
export function checkKeyPair(publicKey: PublicKeyInfo, privateKeyPublicHalf: PublicKeyInfo | undefined, what = 'certificate'): Verdict {
  if (!privateKeyPublicHalf) return fail('the private key is encrypted, so it cannot be compared');
  if (publicKey.spkiSha256 === privateKeyPublicHalf.spkiSha256) {
    return pass(`the private key matches the ${what} (${publicKey.description}, public key SHA-256 ${publicKey.spkiSha256.slice(0, 23)}...)`);
  }
  if (publicKey.algorithm !== privateKeyPublicHalf.algorithm) {
    return fail(`the private key is ${privateKeyPublicHalf.description} but the ${what} holds a ${publicKey.description} key`);
  }
  return fail(
    `the private key does not belong to the ${what}: its public half ${privateKeyPublicHalf.spkiSha256.slice(0, 23)}... differs from the ${what}'s ${publicKey.spkiSha256.slice(0, 23)}...`,
  );
}
