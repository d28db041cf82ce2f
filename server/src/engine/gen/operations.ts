import { join } from 'node:path';
import { existsGuarded, readTextFile } from '../io/guardedRead';
import type { PathGuard } from '../io/pathGuard';
import { writeNewFile } from '../io/safeWrite';
import { createCsr, signCsr } from './csr';
import { issueProfile, keyPathFor, loadSigner, validityWindow } from './generatePki';
import type { Usage } from './issue';
import { GeneratedKey, importPrivateKeyPem, KeyType } from './keys';
import { CERT_PROFILES, ClusterParams, DEFAULT_PARAMS, findProfile } from './profiles';

/** The operations behind `kube-pki gen cert|csr`, `sign` and the editor's commands: one implementation for both faces. */

export class OperationError extends Error {}

/**
 * Every path an operation reads or writes goes through `guard` (the editor's: workspace folders,
 * writes only when trusted; the CLI's: reads what it was given, writes under its output).
 */
export async function generateProfileCert(
  guard: PathGuard,
  pkiDir: string,
  profileName: string,
  params: ClusterParams,
  existingKey?: string,
): Promise<string[]> {
  const profile = findProfile(profileName);
  if (!profile) throw new OperationError(`unknown profile "${profileName}"`);
  const crt = join(pkiDir, `${profile.file}.crt`);
  const key = join(pkiDir, `${profile.file}.key`);
  // With an existing key only the certificate is written: the key is read (guarded), never rewritten.
  for (const path of existingKey ? [crt] : [crt, key])
    if (existsGuarded(guard, path, 'write')) throw new OperationError(`${path} exists; kube-pki never overwrites (move it away first)`);
  let signer;
  if (profile.signer) {
    const signerProfile = CERT_PROFILES.find((p) => p.name === profile.signer)!;
    const caCrt = join(pkiDir, `${signerProfile.file}.crt`);
    const caKey = join(pkiDir, `${signerProfile.file}.key`);
    if (!existsGuarded(guard, caCrt, 'read') || !existsGuarded(guard, caKey, 'read'))
      throw new OperationError(`the ${profile.name} profile is signed by ${signerProfile.name}: ${caCrt} and ${caKey} are needed`);
    signer = await loadSigner(guard, caCrt, caKey);
  }
  const reused = existingKey ? await readKey(guard, existingKey) : undefined;
  const issued = await issueProfile(profile, params, signer, new Date(), reused);
  if (!reused) await writeNewFile(guard, key, issued.key.privateKeyPem, 0o600);
  await writeNewFile(guard, crt, issued.certPem, 0o644);
  return reused ? [crt] : [crt, key];
}

async function readKey(guard: PathGuard, path: string): Promise<GeneratedKey> {
  if (!existsGuarded(guard, path, 'read')) throw new OperationError(`${path}: no such key file`);
  try {
    return await importPrivateKeyPem(readTextFile(guard, path));
  } catch (e) {
    throw new OperationError(`${path} is not a private key kube-pki can use (${(e as Error).message})`);
  }
}

export async function createCsrFiles(guard: PathGuard, prefix: string, subject: Array<[string, string]>, sans: string[], keyType: KeyType): Promise<string[]> {
  // Both outputs are judged before the key is made: a refused .csr must not leave a lone .key behind.
  for (const path of [`${prefix}.key`, `${prefix}.csr`]) guard.forWrite(path);
  const { csrPem, key } = await createCsr({ subject, sans, keyType });
  await writeNewFile(guard, `${prefix}.key`, key.privateKeyPem, 0o600);
  await writeNewFile(guard, `${prefix}.csr`, csrPem, 0o644);
  return [`${prefix}.key`, `${prefix}.csr`];
}

export async function signCsrFile(
  guard: PathGuard,
  csrPath: string,
  caCertPath: string,
  options: { caKeyPath?: string; outPath?: string; usages?: Usage[]; validityDays?: number },
): Promise<{ path: string; usages: Usage[]; signer: string; days: number }> {
  const caKey = options.caKeyPath ?? keyPathFor(caCertPath);
  const out = options.outPath ?? csrPath.replace(/\.(csr|req|pem)$/, '') + '.crt';
  if (existsGuarded(guard, out, 'write')) throw new OperationError(`${out} exists; kube-pki never overwrites (choose another output)`);
  const signer = await loadSigner(guard, caCertPath, caKey);
  const now = new Date();
  const days = options.validityDays ?? DEFAULT_PARAMS.validityDays;
  const { certPem, usages } = await signCsr(readTextFile(guard, csrPath), signer, { usages: options.usages, ...validityWindow(days, now) });
  await writeNewFile(guard, out, certPem, 0o644);
  return { path: out, usages, signer: signer.certificate.subject, days };
}
