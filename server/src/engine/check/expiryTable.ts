import { posix } from 'node:path';
import { roleInCopy, roleOfFlag, roleOfPath } from '../distributions';
import { keyPathFor } from '../gen/profiles';
import { CERTIFICATE_ROLES } from '../kube/flagTable';
import { objectLabel } from '../kube/kinds';
import type { Reference } from '../kube/reference';
import type { CertificateInfo } from '../pki/certificate';
import type { DecodedFile } from '../pki/decode';
import { findIssuer } from '../verify/potentialIssuers';
import { daysBetween, ExpiryStatus, expiryStatus } from '../verify/validity';
import { nodeReferences } from './clusterModel';
import type { RuleContext } from './ruleContext';
import type { LoadedFile } from './workspace';

/** One certificate of `kube-pki expiry`, the PKI view's "By expiry" group and the status bar. */
export interface ExpiryRow {
  /** What it is: kubeadm's names ("apiserver", "etcd-ca"), "admin.conf client", "etcd peer"... */
  role: string;
  /** Absolute path of the file, or of the kubeconfig that embeds it. */
  file: string;
  /** The kubeconfig user (or cluster) whose `*-data` holds it, or the API object's value ("Secret web/frontend-tls tls.crt"); null for a file. */
  field: string | null;
  /** Zero-based line: the embedding `*-data` value, or the certificate's BEGIN line in its file. */
  line: number;
  subject: string;
  /** The certificate's SHA-256 fingerprint: the PKI view joins its rows to its tree by it. */
  sha256: string;
  notAfter: string;
  /** Whole days until notAfter, negative once expired. */
  daysLeft: number;
  /** kubeadm's RESIDUAL TIME: "364d", "9y", "expired". */
  residual: string;
  status: ExpiryStatus;
  /** The role of the CA that signed it (its subject when that CA is not in the tree); null for a root. */
  ca: string | null;
  /** Whether the signing CA's key (for a CA: its own key) is in the tree; kubeadm's EXTERNALLY MANAGED is its negation. */
  caKeyPresent: boolean;
  /** Whether the tree's configuration uses it; unreferenced certificates never decide the exit code. */
  referenced: boolean;
  referencedBy: Array<{ file: string; line: number; component: string; name: string }>;
}

/** Leaves and CAs, each sorted soonest first; unreferenced certificates after the referenced ones. */
export interface ExpiryTable {
  certificates: ExpiryRow[];
  authorities: ExpiryRow[];
}

const CA_FLAG_ROLES = new Set(['client-ca', 'server-ca', 'signing-cert']);

/** The distribution's name for the file where its table has one, else kubeadm's name for the flag, else what the flag says the file is. */
function roleOf(ctx: RuleContext, ref: Reference, path: string | undefined): string {
  const known = (path && roleAt(ctx, path)) || roleOfFlag(ref.component, ref.spec.name);
  if (known) return known;
  if (ref.component === 'talosconfig' && ref.spec.name === 'crt') return `talosconfig client (context ${ref.owner})`;
  if (ref.spec.name === '--requestheader-client-ca-file') return 'front-proxy-ca';
  if (ref.role === 'client-ca' || ref.role === 'server-ca' || ref.role === 'signing-cert') return ref.spec.name === '--oidc-ca-file' ? 'oidc-ca' : 'ca';
  if (ref.role === 'client-cert') return `${posix.basename(ref.file)} client`;
  if (ref.role === 'serving-cert') return `${ref.component} serving`;
  return `${ref.spec.name} of ${ref.component}`;
}

/** A distribution's name for a file by its place: in a copy found by content (k3s-node1/server/tls/...), else on a node's path. */
function roleAt(ctx: RuleContext, path: string): string | undefined {
  const copy = ctx.nodes.find((n) => n.copy && path.startsWith(`${n.root}/`))?.copy;
  return (copy && roleInCopy(copy, path)) || roleOfPath(path);
}

/** What an unreferenced file is, by its name: kube-pki's backups and kubelet's rotated client certificates say so. */
function unreferencedRole(ctx: RuleContext, path: string): string {
  const known = roleAt(ctx, path);
  if (known) return known;
  const name = posix.basename(path);
  const bak = name.lastIndexOf('.bak-');
  if (bak > 0) return `backup of ${name.slice(0, bak)}`;
  if (/^kubelet-client-\d{4}-/.test(name)) return 'kubelet client (rotated)';
  return name;
}

/** kubeadm's RESIDUAL TIME (apimachinery's ShortHumanDuration), "expired" past notAfter. */
export function residualTime(notAfter: Date, now: Date): string {
  const seconds = Math.floor((notAfter.getTime() - now.getTime()) / 1000);
  if (seconds < 0) return 'expired';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  const hours = Math.floor(seconds / 3600);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.floor(hours / 24)}d`;
  return `${Math.floor(hours / 24 / 365)}y`;
}

function blockLine(decoded: DecodedFile, cert: CertificateInfo): number {
  return decoded.blocks.find((b) => b.object === cert)?.range?.start.line ?? 0;
}

interface Entry {
  cert: CertificateInfo;
  row: ExpiryRow;
  isCa: boolean;
  /** The file holding it, when a file (a CA's key is looked for beside it). */
  path?: string;
  /** Its key is inline beside it (a Talos machine configuration's crt/key). */
  inlineKey?: boolean;
}

function newEntry(ctx: RuleContext, cert: CertificateInfo, at: { role: string; file: string; field: string | null; line: number; path?: string }): Entry {
  return {
    cert,
    isCa: cert.basicConstraints?.ca === true,
    path: at.path,
    row: {
      role: at.role,
      file: at.file,
      field: at.field,
      line: at.line,
      subject: cert.subject.text || '(empty subject)',
      sha256: cert.sha256,
      notAfter: cert.notAfter.toISOString(),
      daysLeft: daysBetween(ctx.now, cert.notAfter),
      residual: residualTime(cert.notAfter, ctx.now),
      status: expiryStatus(cert, ctx.now, ctx.options.expiryWarningDays) ?? 'ok',
      ca: null,
      caKeyPresent: false,
      referenced: true,
      referencedBy: [],
    },
  };
}

/** One entry per certificate the configuration uses (by fingerprint), at the first place it is named. */
function referencedEntries(ctx: RuleContext): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  const references = ctx.nodes.flatMap(nodeReferences);
  for (const ref of [...references, ...ctx.nodes.flatMap((n) => n.implicit)]) {
    const target = ctx.ok(ref);
    // Only references that use the file as a certificate: a combined cert+key file named as the key is not a second row.
    if (!target || target.certs.length === 0 || !CERTIFICATE_ROLES.has(ref.role)) continue;
    const certs = CA_FLAG_ROLES.has(ref.role) ? target.certs : target.certs.slice(0, 1);
    for (const cert of certs) {
      let entry = entries.get(cert.sha256);
      // The same CA at several places (k3s's agent/client-ca.crt copies server/tls/client-ca.crt): the copy with its key is the CA's row.
      if (entry && entry.isCa && target.path && !keyBeside(ctx, entry) && hasKeyFile(ctx, target.path)) {
        entry.path = target.path;
        Object.assign(entry.row, { role: roleOf(ctx, ref, target.path), file: target.path, line: blockLine(target.decoded, cert) });
      }
      if (!entry) {
        const embedded = ref.inline === true || !target.path;
        entry = newEntry(ctx, cert, {
          role: roleOf(ctx, ref, embedded ? undefined : target.path),
          file: embedded ? ref.file : target.path!,
          field: embedded ? (ref.owner ?? ref.name) : null,
          line: embedded ? ref.range.start.line : blockLine(target.decoded, cert),
          path: embedded ? undefined : target.path,
        });
        entries.set(cert.sha256, entry);
      }
      if (ref.inline && ref.spec.pairedWith) entry.inlineKey ||= hasInlineKey(ctx, references, ref);
      // A v1 root (no basicConstraints) named as a CA is a CA, as Kubernetes takes it.
      if (CA_FLAG_ROLES.has(ref.role) && cert.selfIssued) entry.isCa = true;
      entry.row.referencedBy.push({ file: ref.file, line: ref.range.start.line, component: ref.component, name: ref.spec.name });
    }
  }
  addObjectEntries(ctx, entries);
  return entries;
}

/** API objects' certificates (a Secret's tls.crt leaf, every certificate of a ca.crt or caBundle): deployed, so in use. */
function addObjectEntries(ctx: RuleContext, entries: Map<string, Entry>): void {
  for (const value of ctx.objects.values()) {
    const certs =
      value.role === 'certificate'
        ? (ctx.objects.ok(value)?.certs.slice(0, 1) ?? [])
        : value.role === 'csr' || value.role === 'private-key'
          ? []
          : (ctx.objects.ok(value)?.certs ?? []);
    for (const cert of certs) {
      if (entries.has(cert.sha256)) continue;
      const field = `${objectLabel(value.object)} ${value.key}`;
      const entry = newEntry(ctx, cert, { role: value.key, file: value.object.file, field, line: value.range.start.line });
      if (value.role === 'ca-bundle' && cert.selfIssued) entry.isCa = true;
      entries.set(cert.sha256, entry);
    }
  }
}

/** Whether the key paired with an inline certificate (Talos's machine.ca.key beside machine.ca.crt) decoded to a private key. */
function hasInlineKey(ctx: RuleContext, references: Reference[], ref: Reference): boolean {
  const key = references.find((r) => r.file === ref.file && r.owner === ref.owner && r.spec.name === ref.spec.pairedWith);
  return !!ctx.ok(key)?.privateKey;
}

/** kube-pki's `.bak-<time>` copies of certificate files (safeWrite makes them on a confirmed replace). */
function isCertificateBackup(path: string): boolean {
  const name = posix.basename(path);
  const bak = name.lastIndexOf('.bak-');
  return bak > 0 && /\.(pem|crt|cer|cert)$/i.test(name.slice(0, bak));
}

/**
 * The tree's certificate backups, decoded. The check leaves them out (an old copy kept on purpose is
 * no finding); the expiry table lists them, unreferenced.
 */
export function loadBackups(ctx: RuleContext): Promise<LoadedFile[]> {
  return Promise.all(ctx.workspace.files.filter(isCertificateBackup).map((path) => ctx.workspace.load(path)));
}

/** Certificates in PEM files nothing names (backups, rotated kubelet certificates, leftovers), not already listed. */
function unreferencedEntries(ctx: RuleContext, listed: Map<string, Entry>, backups: LoadedFile[]): Entry[] {
  const entries: Entry[] = [];
  const seen = new Set<string>();
  const files = [...ctx.standalone, ...backups.filter((b) => !ctx.standalone.some((s) => s.path === b.path))];
  for (const loaded of files) {
    for (const block of loaded.decoded.blocks) {
      const cert = block.object?.kind === 'certificate' ? block.object : undefined;
      if (!cert || listed.has(cert.sha256) || seen.has(cert.sha256)) continue;
      seen.add(cert.sha256);
      const role = unreferencedRole(ctx, loaded.path);
      const entry = newEntry(ctx, cert, { role, file: loaded.path, field: null, line: block.range?.start.line ?? 0, path: loaded.path });
      entry.row.referenced = false;
      entries.push(entry);
    }
  }
  return entries;
}

function keyBeside(ctx: RuleContext, entry: Entry | undefined): boolean {
  return entry?.inlineKey === true || (entry?.path !== undefined && hasKeyFile(ctx, entry.path));
}

/** A key beside a certificate: kubeadm's ca.crt/ca.key, or cfssl's and kubespray's ca.pem/ca-key.pem. */
function hasKeyFile(ctx: RuleContext, certPath: string): boolean {
  return ctx.workspace.exists(keyPathFor(certPath)) || (certPath.endsWith('.pem') && ctx.workspace.exists(`${certPath.slice(0, -4)}-key.pem`));
}

/** The signing CA's role and whether its key is here (for a CA, its own key). */
function linkIssuers(ctx: RuleContext, entries: Entry[], cas: Entry[]): void {
  for (const entry of entries) {
    const others = cas.filter((ca) => ca !== entry);
    const issuer = findIssuer(entry.cert, others, (ca) => ca.cert);
    const root = !issuer && entry.cert.selfIssued;
    entry.row.ca = issuer ? issuer.row.role : root ? null : entry.cert.issuer.text || '(empty issuer)';
    entry.row.caKeyPresent = keyBeside(ctx, entry.isCa ? entry : issuer);
  }
}

const soonestFirst = (a: ExpiryRow, b: ExpiryRow) => a.notAfter.localeCompare(b.notAfter) || a.role.localeCompare(b.role) || a.file.localeCompare(b.file);

/** The expiry table of a checked tree: what kubeadm's certs check-expiration lists, for any tree the checker understands. */
export function expiryTable(ctx: RuleContext, backups: LoadedFile[] = []): ExpiryTable {
  const referenced = referencedEntries(ctx);
  const unreferenced = unreferencedEntries(ctx, referenced, backups);
  const all = [...referenced.values(), ...unreferenced];
  linkIssuers(
    ctx,
    all,
    all.filter((e) => e.isCa),
  );
  const rows = (list: Entry[], ca: boolean) =>
    list
      .filter((e) => e.isCa === ca)
      .map((e) => e.row)
      .sort(soonestFirst);
  const used = [...referenced.values()];
  return {
    certificates: [...rows(used, false), ...rows(unreferenced, false)],
    authorities: [...rows(used, true), ...rows(unreferenced, true)],
  };
}

/** Whether any certificate or CA the configuration uses is expired or within the warning window (`expiry`'s exit 1). */
export function needsRenewal(table: ExpiryTable): boolean {
  return [...table.certificates, ...table.authorities].some((r) => r.referenced && (r.status === 'expired' || r.status === 'expiring'));
}

/** The status bar's count: the used certificates and CAs that are expired or within the warning window, soonest first. */
export interface ExpirySummary {
  expired: number;
  expiring: number;
  warningDays: number;
  due: Array<Pick<ExpiryRow, 'role' | 'file' | 'line' | 'subject' | 'notAfter' | 'daysLeft' | 'residual' | 'status'>>;
}

export function expirySummary(table: ExpiryTable, warningDays: number): ExpirySummary {
  const due = [...table.certificates, ...table.authorities]
    .filter((r) => r.referenced && (r.status === 'expired' || r.status === 'expiring'))
    .sort(soonestFirst)
    .map(({ role, file, line, subject, notAfter, daysLeft, residual, status }) => ({ role, file, line, subject, notAfter, daysLeft, residual, status }));
  return { expired: due.filter((r) => r.status === 'expired').length, expiring: due.filter((r) => r.status === 'expiring').length, warningDays, due };
}
