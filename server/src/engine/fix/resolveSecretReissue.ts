// Carries out the re-issue of a Secret's tls.crt: reads the values it names through the guard, signs, and returns the
// edit of that one value. Key material stays here: the edit holds only the new certificate.
import type { FixSpec, ValueRef } from '../check/fixSpec';
import { objectValuesOfText } from '../check/objectModel';
import { validityWindow } from '../gen/generatePki';
import { issueCertificate } from '../gen/issue';
import { importPrivateKeyPem } from '../gen/keys';
import { readTextFile } from '../io/guardedRead';
import type { PathGuard } from '../io/pathGuard';
import type { ObjectValue } from '../kube/kinds';
import type { CertificateInfo } from '../pki/certificate';
import { sansOf, subjectPairs, usagesOf } from '../pki/certificateFields';
import { decodePemText } from '../pki/decode';
import { x509 } from '../pki/x509Runtime';
import { LineIndex, type Range } from '../text/lineIndex';

type Reissue = Extract<FixSpec, { kind: 'reissue-secret-cert' }>;
type EditText = Extract<FixSpec, { kind: 'edit-text' }>;

const sameRange = (a: Range, b: Range) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/** The manifest value at ref.range, as the file is now (an edited file no longer has it there: the fix refuses). */
function valueAt(guard: PathGuard, ref: ValueRef & { range: Range }): { text: string; value: ObjectValue } {
  const text = readTextFile(guard, ref.path);
  const found = objectValuesOfText(ref.path, text).find((v) => sameRange(v.value.range, ref.range));
  if (!found) throw new Error(`${ref.path} changed since it was checked: check again`);
  return { text, value: found.value };
}

/** The PEM text a reference holds: the file itself, or the value (base64 of PEM in data, PEM in stringData). */
function pemOf(guard: PathGuard, ref: ValueRef): string {
  if (!ref.range) return readTextFile(guard, ref.path);
  const { value } = valueAt(guard, { ...ref, range: ref.range });
  return value.encoding === 'base64' ? Buffer.from(value.value.replace(/\s+/g, ''), 'base64').toString('utf8') : value.value;
}

/** The first certificate a reference holds. */
function certificateOf(pem: string, what: string): CertificateInfo {
  const cert = decodePemText(pem).blocks.find((b) => b.object?.kind === 'certificate')?.object;
  if (cert?.kind !== 'certificate') throw new Error(`${what} holds no certificate`);
  return cert;
}

const x509Of = (cert: CertificateInfo) => new x509.X509Certificate(Uint8Array.from(cert.der));

/** The new value's text in the value's own form: one base64 line, or a `|` block at the old block's indentation. */
function valueText(text: string, value: ObjectValue, pem: string): string {
  if (value.encoding === 'base64') return Buffer.from(pem).toString('base64');
  const lines = new LineIndex(text);
  const firstContent = text.slice(lines.offsetAt({ line: value.range.start.line + 1, character: 0 }));
  const indent = firstContent.slice(0, firstContent.length - firstContent.trimStart().length).replace(/\n[\s\S]*$/, '');
  const body = pem.trimEnd().split('\n');
  // The block's range ends after its last line break: the next key starts where it did.
  return `|\n${body.map((line) => `${indent}${line}\n`).join('')}`;
}

/** The leaf signed again with its SANs and the added ones, carrying the Secret's key; the edit of tls.crt alone. */
export async function resolveSecretReissue(guard: PathGuard, spec: Reissue, now: Date): Promise<EditText> {
  const { text, value } = valueAt(guard, spec.cert);
  const info = certificateOf(pemOf(guard, spec.cert), spec.cert.path);
  const publicKey = spec.key ? (await importPrivateKeyPem(pemOf(guard, spec.key))).keys.publicKey : await x509Of(info).publicKey.export();
  const caKey = await importPrivateKeyPem(pemOf(guard, spec.signer.key));
  const caCert = x509Of(certificateOf(pemOf(guard, spec.signer.cert), spec.signer.cert.path));
  const { notBefore } = validityWindow(0, now);
  const lifetime = info.notAfter.getTime() - info.notBefore.getTime();
  const cert = await issueCertificate(
    {
      subject: subjectPairs(info),
      ca: false,
      usages: usagesOf(info),
      sans: [...sansOf(info), ...spec.addSans],
      notBefore,
      notAfter: new Date(notBefore.getTime() + lifetime),
      publicKey,
      keyUsage: info.keyUsage,
    },
    undefined,
    { certificate: caCert, privateKey: caKey.keys.privateKey },
  );
  return {
    kind: 'edit-text',
    title: spec.title,
    path: spec.cert.path,
    edits: [{ range: spec.cert.range, newText: valueText(text, value, `${cert.toString('pem')}\n`) }],
  };
}
