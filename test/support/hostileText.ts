// A certificate whose subject tries every trick a terminal or an editor could fall for: an OSC that
// sets the window title (ESC ] 0;TITLE BEL), a screen clear (ESC [2J), a right-to-left override,
// a newline that would start a fake line, a tab, a VS Code $(icon), invisible and C1 characters.

import { issueCertificate } from '../../server/src/engine/gen/issue';
import { generateKey } from '../../server/src/engine/gen/keys';

export const HOSTILE_CN = 'evil\u001b]0;TITLE\u0007\u001b[2J\u202Egnp.exe\nFAKE LINE\t$(alert)\u200B\u061C\u2028\u0085\u007F\uFEFF';
/** The same CN as every plain-text face shows it. */
export const HOSTILE_CN_SHOWN = 'evil\\x1b]0;TITLE\\x07\\x1b[2J\\u202egnp.exe\\x0aFAKE LINE\\x09$(alert)\\u200b\\u061c\\u2028\\x85\\x7f\\ufeff';

/** Raw characters that must never reach a terminal or an editor label (the layout's own \n and \t excepted). */
export const RAW_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/u;

/** A self-signed CA certificate (PEM) with HOSTILE_CN, valid from a day ago for `days` days, and its key. */
export async function hostileCertificate(days = 365): Promise<{ cert: string; key: string }> {
  const key = await generateKey('ECDSA-P256');
  const now = Date.now();
  const cert = await issueCertificate(
    {
      subject: [['CN', HOSTILE_CN]],
      ca: true,
      usages: ['serverAuth', 'clientAuth'],
      sans: ['localhost'],
      notBefore: new Date(now - 86_400_000),
      notAfter: new Date(now + days * 86_400_000),
      publicKey: key.keys.publicKey,
    },
    key.keys,
  );
  return { cert: cert.toString('pem') + '\n', key: key.privateKeyPem };
}
