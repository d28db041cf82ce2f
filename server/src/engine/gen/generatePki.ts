import { join, relative } from 'node:path';
import { existsGuarded, readTextFile } from '../io/guardedRead';
import type { PathGuard } from '../io/pathGuard';
import { FileExistsError, writeNewFile } from '../io/safeWrite';
import { x509 } from '../pki/x509Runtime';
import { CertificateRequest, issueCertificate, Signer } from './issue';
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
export async function issueProfile(
  profile: CertProfile | { subject: Array<[string, string]>; ca: boolean; usages: CertProfile['usages']; sans: string[] },
  params: ClusterParams,
  signer: Signer | undefined,
  now: Date,
  key?: GeneratedKey,
): Promise<CertFiles> {
  const generated = key ?? (await generateKey(params.keyType));
  const subject = typeof profile.subject === 'function' ? profile.subject(params) : profile.subject;
  const sans = typeof profile.sans === 'function' ? profile.sans(params) : profile.sans;
  const request: CertificateRequest = {
    subject,
    ca: profile.ca,
    usages: profile.usages,
    sans,
    ...validity(params, profile.ca, now),
    publicKey: generated.keys.publicKey,
  };
  const cert = await issueCertificate(request, generated.keys, signer);
  return { certPem: cert.toString('pem') + '\n', key: generated };
}

/** Loads a CA (cert + key) that exists on disk, to sign with it; both are read through the guard. */
export async function loadSigner(guard: PathGuard, certPath: string, keyPath: string): Promise<Signer> {
  const certificate = new x509.X509Certificate(readTextFile(guard, certPath));
  const key = await importPrivateKeyPem(readTextFile(guard, keyPath));
  return { certificate, privateKey: key.keys.privateKey };
}

/** One generation run: where it writes, what it wrote or left alone, and the CAs it signs with. */
class PkiLayout {
  readonly etc: string;
  readonly pki: string;
  readonly report: GenerationReport = { written: [], skipped: [], reusedCas: [] };
  readonly signers = new Map<string, Signer>();

  constructor(
    readonly guard: PathGuard,
    readonly outDir: string,
    readonly params: ClusterParams,
    readonly now: Date,
  ) {
    this.etc = join(outDir, 'etc', 'kubernetes');
    this.pki = join(this.etc, 'pki');
  }

  rel(path: string): string {
    return relative(this.outDir, path);
  }

  /** Whether something is at `path`; every path is judged as a write (and a read, for a CA to reuse) under outDir. */
  exists(path: string): boolean {
    return existsGuarded(this.guard, path, 'write');
  }

  /** The first of `paths` that exists, if any: its owner is left alone. */
  firstExisting(...paths: string[]): string | undefined {
    return paths.find((p) => this.exists(p));
  }

  skip(path: string, reason: string): void {
    this.report.skipped.push({ path: this.rel(path), reason });
  }

  async write(path: string, content: string, mode: number): Promise<void> {
    try {
      await writeNewFile(this.guard, path, content, mode);
      this.report.written.push(this.rel(path));
    } catch (e) {
      if (e instanceof FileExistsError) this.skip(path, 'exists');
      else throw e;
    }
  }
}

/** A CA: reused when its cert and key are both there, generated when neither is, else skipped with its leaves. */
async function layCa(layout: PkiLayout, profile: CertProfile): Promise<void> {
  const crt = join(layout.pki, `${profile.file}.crt`);
  const key = join(layout.pki, `${profile.file}.key`);
  const haveCrt = layout.exists(crt);
  const haveKey = layout.exists(key);
  if (haveCrt && haveKey) {
    layout.signers.set(profile.name, await loadSigner(layout.guard, crt, key));
    layout.report.reusedCas.push(layout.rel(crt));
    return;
  }
  if (haveCrt || haveKey) {
    layout.skip(haveCrt ? crt : key, `the ${haveCrt ? 'key' : 'certificate'} of this CA is missing: it cannot sign, and its certificates are not generated`);
    return;
  }
  const issued = await issueProfile(profile, layout.params, undefined, layout.now);
  await layout.write(crt, issued.certPem, 0o644);
  await layout.write(key, issued.key.privateKeyPem, 0o600);
  layout.signers.set(profile.name, { certificate: new x509.X509Certificate(issued.certPem), privateKey: issued.key.keys.privateKey });
}

/** A leaf signed by its profile's CA, unless its cert or key is already there. */
async function layLeaf(layout: PkiLayout, profile: CertProfile): Promise<void> {
  const crt = join(layout.pki, `${profile.file}.crt`);
  const key = join(layout.pki, `${profile.file}.key`);
  const signer = layout.signers.get(profile.signer!);
  if (!signer) return;
  const existing = layout.firstExisting(crt, key);
  if (existing) return layout.skip(existing, 'exists');
  const issued = await issueProfile(profile, layout.params, signer, layout.now);
  await layout.write(key, issued.key.privateKeyPem, 0o600);
  await layout.write(crt, issued.certPem, 0o644);
}

/** The service-account key pair (sa.key, sa.pub). */
async function layServiceAccountKey(layout: PkiLayout): Promise<void> {
  const saKey = join(layout.pki, 'sa.key');
  const saPub = join(layout.pki, 'sa.pub');
  const existing = layout.firstExisting(saKey, saPub);
  if (existing) return layout.skip(existing, 'exists');
  const key = await generateKey(layout.params.keyType);
  await layout.write(saKey, key.privateKeyPem, 0o600);
  await layout.write(saPub, key.publicKeyPem, 0o644);
}

/** A kubeconfig with the cluster CA and a client certificate embedded, signed by the cluster CA. */
async function layKubeconfig(layout: PkiLayout, profile: (typeof KUBECONFIG_PROFILES)[number]): Promise<void> {
  const path = join(layout.etc, profile.file);
  const ca = layout.signers.get('ca');
  if (!ca) return;
  if (layout.exists(path)) return layout.skip(path, 'exists');
  const params = layout.params;
  const issued = await issueProfile({ subject: profile.subject(params), ca: false, usages: ['clientAuth'], sans: [] }, params, ca, layout.now);
  const caPem = `${ca.certificate.toString('pem')}\n`;
  const text = renderKubeconfig({
    clusterName: 'kubernetes',
    server: serverUrl(params, profile.server),
    caPem,
    user: profile.user(params),
    certPem: issued.certPem,
    keyPem: issued.key.privateKeyPem,
  });
  await layout.write(path, text, 0o600);
}

/**
 * Lays out a kubeadm control-plane PKI under OUTDIR/etc/kubernetes: pki/ (three
 * CAs, their leaves, sa.key/sa.pub) and the five kubeconfigs with embedded
 * data. An existing CA (cert and key) is reused to sign; no existing file is
 * ever overwritten: a leaf whose cert or key exists is left alone. Keys are
 * generated concurrently (RSA generation is the cost: every core helps).
 * Every file is written (or read, for a CA to reuse) under outDir, through the guard.
 */
export async function generatePki(guard: PathGuard, outDir: string, params: ClusterParams, now = new Date()): Promise<GenerationReport> {
  const layout = new PkiLayout(guard, outDir, params, now);
  // CAs first: reuse what is there, generate what is not.
  await Promise.all(CERT_PROFILES.filter((p) => p.ca).map((profile) => layCa(layout, profile)));
  await Promise.all([
    ...CERT_PROFILES.filter((p) => !p.ca).map((profile) => layLeaf(layout, profile)),
    layServiceAccountKey(layout),
    ...KUBECONFIG_PROFILES.map((profile) => layKubeconfig(layout, profile)),
  ]);
  const report = layout.report;
  report.written.sort();
  report.skipped.sort((a, b) => a.path.localeCompare(b.path));
  return report;
}
