import { join, relative } from 'node:path';
import { FileExistsError, writeNewFile } from '../io/safeWrite';
import { existsGuarded, readTextFile } from '../io/guardedRead';
import type { PathGuard } from '../io/pathGuard';
import { x509 } from '../pki/x509Runtime';
import { CertificateRequest, Signer, issueCertificate } from './issue';
import { GeneratedKey, generateKey, importPrivateKeyPem } from './keys';
import { renderKubeconfig } from './kubeconfig';
import { CERT_PROFILES, CertProfile, ClusterParams, KUBECONFIG_PROFILES, keyPathFor, serverUrl } from './profiles';

// Kept here too for the generation API's callers; it lives in profiles, which the checker loads without the generation stack.
export { keyPathFor };

/** kubeadm backdates notBefore so that a node with a slightly late clock accepts new certs (constants.CertificateBackdate). */
const BACKDATE_MS = 5 * 60 * 1000;
const DAY_MS = 86_400_000;

export interface GenerationReport {
  written: string[];
  /** Files that existed and were left alone, with why. */
  skipped: Array<{ path: string; reason: string }>;
  /** CAs found in place and used to sign. */
  reusedCas: string[];
}

export interface CertFiles {
  certPem: string;
  key: GeneratedKey;
}

/** notBefore/notAfter of a certificate issued now for `days`, backdated as kubeadm does. Every issuing path uses it. */
export function validityWindow(days: number, now: Date): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter: new Date(now.getTime() + days * DAY_MS) };
}

function validity(params: ClusterParams, ca: boolean, now: Date): { notBefore: Date; notAfter: Date } {
  return validityWindow(ca ? params.caValidityDays : params.validityDays, now);
}

/** Issues one profile's certificate with a fresh key (or the given one), signed by `signer` or self-signed. */
export async function issueProfile(profile: CertProfile | { subject: Array<[string, string]>; ca: boolean; usages: CertProfile['usages']; sans: string[] }, params: ClusterParams, signer: Signer | undefined, now: Date, key?: GeneratedKey): Promise<CertFiles> {
  const generated = key ?? (await generateKey(params.keyType));
  const subject = typeof profile.subject === 'function' ? profile.subject(params) : profile.subject;
  const sans = typeof profile.sans === 'function' ? profile.sans(params) : profile.sans;
  const request: CertificateRequest = { subject, ca: profile.ca, usages: profile.usages, sans, ...validity(params, profile.ca, now), publicKey: generated.keys.publicKey };
  const cert = await issueCertificate(request, generated.keys, signer);
  return { certPem: cert.toString('pem') + '\n', key: generated };
}

/** Loads a CA (cert + key) that exists on disk, to sign with it; both are read through the guard. */
export async function loadSigner(guard: PathGuard, certPath: string, keyPath: string): Promise<Signer> {
  const certificate = new x509.X509Certificate(readTextFile(guard, certPath));
  const key = await importPrivateKeyPem(readTextFile(guard, keyPath));
  return { certificate, privateKey: key.keys.privateKey };
}

/**
 * Lays out a kubeadm control-plane PKI under OUTDIR/etc/kubernetes: pki/ (three
 * CAs, their leaves, sa.key/sa.pub) and the five kubeconfigs with embedded
 * data. An existing CA (cert and key) is reused to sign; no existing file is
 * ever overwritten: a leaf whose cert or key exists is left alone. Keys are
 * generated concurrently (RSA generation is the cost: every core helps).
 */
export async function generatePki(guard: PathGuard, outDir: string, params: ClusterParams, now = new Date()): Promise<GenerationReport> {
  // Every file this lays out is written (or read, for a CA to reuse) under outDir, through the guard.
  const existsSync = (path: string) => existsGuarded(guard, path, 'write');
  const etc = join(outDir, 'etc', 'kubernetes');
  const pki = join(etc, 'pki');
  const report: GenerationReport = { written: [], skipped: [], reusedCas: [] };
  const rel = (p: string) => relative(outDir, p);
  const write = async (path: string, content: string, mode: number) => {
    try {
      await writeNewFile(guard, path, content, mode);
      report.written.push(rel(path));
    } catch (e) {
      if (e instanceof FileExistsError) report.skipped.push({ path: rel(path), reason: 'exists' });
      else throw e;
    }
  };

  // CAs first: reuse what is there, generate what is not.
  const signers = new Map<string, Signer>();
  const cas = CERT_PROFILES.filter((p) => p.ca);
  await Promise.all(
    cas.map(async (profile) => {
      const crt = join(pki, `${profile.file}.crt`);
      const key = join(pki, `${profile.file}.key`);
      const haveCrt = existsSync(crt);
      const haveKey = existsSync(key);
      if (haveCrt && haveKey) {
        signers.set(profile.name, await loadSigner(guard, crt, key));
        report.reusedCas.push(rel(crt));
        return;
      }
      if (haveCrt || haveKey) {
        report.skipped.push({ path: rel(haveCrt ? crt : key), reason: `the ${haveCrt ? 'key' : 'certificate'} of this CA is missing: it cannot sign, and its certificates are not generated` });
        return;
      }
      const issued = await issueProfile(profile, params, undefined, now);
      await write(crt, issued.certPem, 0o644);
      await write(key, issued.key.privateKeyPem, 0o600);
      signers.set(profile.name, { certificate: new x509.X509Certificate(issued.certPem), privateKey: issued.key.keys.privateKey });
    }),
  );

  const leaves = CERT_PROFILES.filter((p) => !p.ca);
  const jobs: Array<Promise<void>> = leaves.map(async (profile) => {
    const crt = join(pki, `${profile.file}.crt`);
    const key = join(pki, `${profile.file}.key`);
    const signer = signers.get(profile.signer!);
    if (!signer) return;
    if (existsSync(crt) || existsSync(key)) {
      report.skipped.push({ path: rel(existsSync(crt) ? crt : key), reason: 'exists' });
      return;
    }
    const issued = await issueProfile(profile, params, signer, now);
    await write(key, issued.key.privateKeyPem, 0o600);
    await write(crt, issued.certPem, 0o644);
  });

  jobs.push(
    (async () => {
      const saKey = join(pki, 'sa.key');
      const saPub = join(pki, 'sa.pub');
      if (existsSync(saKey) || existsSync(saPub)) {
        report.skipped.push({ path: rel(existsSync(saKey) ? saKey : saPub), reason: 'exists' });
        return;
      }
      const key = await generateKey(params.keyType);
      await write(saKey, key.privateKeyPem, 0o600);
      await write(saPub, key.publicKeyPem, 0o644);
    })(),
  );

  const ca = signers.get('ca');
  const caPem = ca?.certificate.toString('pem');
  for (const profile of KUBECONFIG_PROFILES) {
    jobs.push(
      (async () => {
        const path = join(etc, profile.file);
        if (!ca || !caPem) return;
        if (existsSync(path)) {
          report.skipped.push({ path: rel(path), reason: 'exists' });
          return;
        }
        const issued = await issueProfile({ subject: profile.subject(params), ca: false, usages: ['clientAuth'], sans: [] }, params, ca, now);
        const text = renderKubeconfig({ clusterName: 'kubernetes', server: serverUrl(params, profile.server), caPem: `${caPem}\n`, user: profile.user(params), certPem: issued.certPem, keyPem: issued.key.privateKeyPem });
        await write(path, text, 0o600);
      })(),
    );
  }
  await Promise.all(jobs);
  report.written.sort();
  report.skipped.sort((a, b) => a.path.localeCompare(b.path));
  return report;
}
