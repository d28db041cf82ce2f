import { posix } from 'node:path';
import { nodeReferences } from '../check/clusterModel';
import type { ExpiryRow, ExpiryTable } from '../check/expiryTable';
import type { Finding, RuleContext } from '../check/ruleContext';
import { CERTIFICATE_ROLES } from '../kube/flagTable';
import type { Reference } from '../kube/reference';
import type { CertificateInfo } from '../pki/certificate';
import type { Severity } from '../severity';
import { findIssuer } from '../verify/potentialIssuers';
import { ExpiryStatus, expiryPhrase, expiryStatus } from '../verify/validity';
import { CertificateFindings, worse } from './certificateFindings';

export interface TreeCert {
  /** Absolute path of the file, or of the kubeconfig holding it inline. */
  path: string;
  /** The kubeconfig user, for certificates embedded in a kubeconfig. */
  user?: string;
  /** What it is, as `kube-pki expiry` names it ("apiserver", "etcd peer", "admin.conf client"); its label. */
  role: string;
  subject: string;
  sha256: string;
  notAfter: string;
  expiry: string;
  status: ExpiryStatus;
  /** The flags and fields that name it ("--tls-cert-file of kube-apiserver"). */
  roles: string[];
  /** Where it is referenced: file and 0-based line, to jump to. */
  usedBy: Array<{ file: string; line: number; name: string }>;
  /** Every finding that concerns it, on whichever reference it was reported (its key's, its file). */
  findings: Array<{ code: string; severity: Severity; message: string }>;
  /** The most serious of them: the item's icon. */
  worst?: Severity;
}

/** A row of the "By expiry" group: `kube-pki expiry`'s row, with the worst finding on that certificate. */
export type TreeExpiryRow = Omit<ExpiryRow, 'referencedBy'> & { worst?: Severity };

export interface TreeCa extends TreeCert {
  signed: TreeCert[];
}

/** The cluster's PKI as `kubeadm certs check-expiration` would list it, grouped by CA. */
export interface PkiTree {
  folder: string;
  cas: TreeCa[];
  /** Certificates whose CA is not among the tree's CAs. */
  orphans: TreeCert[];
  /** Every certificate and CA, soonest expiry first (the used ones, then the unreferenced): the expiry table's rows. */
  byExpiry: TreeExpiryRow[];
}

function statusOf(cert: CertificateInfo, now: Date, warningDays: number): ExpiryStatus {
  return expiryStatus(cert, now, warningDays) ?? 'ok';
}

const roleOf = (ref: Reference) => `${ref.name}${ref.component === 'kubeconfig' ? ` of ${ref.owner ?? posix.basename(ref.file)}` : ` of ${ref.component}`}`;

interface Entry {
  cert: CertificateInfo;
  item: TreeCert;
  ca: boolean;
}

function newEntry(ctx: RuleContext, cert: CertificateInfo, ref: Reference, path: string, table: Map<string, ExpiryRow>): Entry {
  return {
    cert,
    ca: cert.basicConstraints?.ca === true,
    item: {
      path: ref.inline ? ref.file : path,
      user: ref.inline ? ref.owner : undefined,
      role: table.get(cert.sha256)?.role ?? roleOf(ref),
      subject: cert.subject.text || '(empty subject)',
      sha256: cert.sha256,
      notAfter: cert.notAfter.toISOString(),
      expiry: expiryPhrase(cert, ctx.now),
      status: statusOf(cert, ctx.now, ctx.options.expiryWarningDays),
      roles: [],
      usedBy: [],
      findings: [],
    },
  };
}

function addFindings(item: TreeCert, found: Finding[]): void {
  for (const f of found) {
    if (item.findings.some((g) => g.code === f.code && g.message === f.message)) continue;
    item.findings.push({ code: f.code, severity: f.severity, message: f.message });
    item.worst = worse(item.worst, f.severity);
  }
}

/** One entry per certificate (by fingerprint), wherever it is written (ca.crt and every kubeconfig's certificate-authority-data). */
function entriesOf(ctx: RuleContext, findings: readonly Finding[], table: Map<string, ExpiryRow>): Entry[] {
  const entries = new Map<string, Entry>();
  const references = ctx.nodes.flatMap(nodeReferences);
  const concern = new CertificateFindings(findings, references);
  for (const ref of references) {
    const target = ctx.ok(ref);
    // Only references that use the file as a certificate: a combined cert+key file named as the key is not a second role.
    if (!target || target.certs.length === 0 || !CERTIFICATE_ROLES.has(ref.role)) continue;
    const certs = ref.role === 'client-ca' || ref.role === 'server-ca' ? target.certs : target.certs.slice(0, 1);
    for (const cert of certs) {
      let entry = entries.get(cert.sha256);
      if (!entry) {
        entry = newEntry(ctx, cert, ref, target.path!, table);
        entries.set(cert.sha256, entry);
        if (!ref.inline && target.path) addFindings(entry.item, concern.onFile(target.path));
      }
      if (!entry.item.roles.includes(roleOf(ref))) entry.item.roles.push(roleOf(ref));
      entry.item.usedBy.push({ file: ref.file, line: ref.range.start.line, name: ref.name });
      // A CA's findings on a bundle's reference concern the bundle's first CA only when it is that CA's only use: leave CAs to their own rows.
      if (certs.length === 1) addFindings(entry.item, concern.onReference(ref));
    }
  }
  return [...entries.values()];
}

/** The tree's rows soonest first: the expiry table's, certificates and CAs merged (the used ones first, as the CLI lists them). */
function byExpiry(table: ExpiryTable, entries: Entry[]): TreeExpiryRow[] {
  const worst = new Map(entries.map((e) => [e.item.sha256, e.item.worst]));
  const order = (a: ExpiryRow, b: ExpiryRow) =>
    Number(b.referenced) - Number(a.referenced) || a.notAfter.localeCompare(b.notAfter) || a.role.localeCompare(b.role);
  return [...table.certificates, ...table.authorities].sort(order).map(({ referencedBy: _, ...row }) => ({ ...row, worst: worst.get(row.sha256) }));
}

/** The explorer view's data: each CA with what it signed, labelled by role, with the findings on each; and the expiry table's rows. */
export function pkiTree(ctx: RuleContext, findings: readonly Finding[] = [], table: ExpiryTable = { certificates: [], authorities: [] }): PkiTree {
  const rows = new Map([...table.certificates, ...table.authorities].map((r) => [r.sha256, r]));
  const all = entriesOf(ctx, findings, rows);
  const cas: TreeCa[] = all.filter((e) => e.ca).map((e) => ({ ...e.item, signed: [] }));
  const caEntries = all.filter((e) => e.ca);
  const orphans: TreeCert[] = [];
  for (const entry of all.filter((e) => !e.ca)) {
    // The likeliest CA first (AKI/SKI), within Go's budget: not every same-named CA's signature check.
    const issuer = findIssuer(entry.cert, caEntries, (ca) => ca.cert);
    const index = issuer ? caEntries.indexOf(issuer) : -1;
    if (index >= 0) cas[index].signed.push(entry.item);
    else orphans.push(entry.item);
  }
  const byRole = (a: TreeCert, b: TreeCert) => a.role.localeCompare(b.role) || a.subject.localeCompare(b.subject) || a.path.localeCompare(b.path);
  cas.sort(byRole).forEach((ca) => ca.signed.sort(byRole));
  return { folder: ctx.workspace.boundary, cas, orphans: orphans.sort(byRole), byExpiry: byExpiry(table, all) };
}
