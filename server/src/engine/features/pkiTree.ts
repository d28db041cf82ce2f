import { posix } from 'node:path';
import { nodeReferences } from '../check/clusterModel';
import type { RuleContext } from '../check/ruleContext';
import { CERTIFICATE_ROLES } from '../kube/flagTable';
import type { Reference } from '../kube/reference';
import type { CertificateInfo } from '../pki/certificate';
import { findIssuer } from '../verify/potentialIssuers';
import { ExpiryStatus, expiryPhrase, expiryStatus } from '../verify/validity';

export interface TreeCert {
  /** Absolute path of the file, or of the kubeconfig holding it inline. */
  path: string;
  /** The kubeconfig user, for certificates embedded in a kubeconfig. */
  user?: string;
  subject: string;
  notAfter: string;
  expiry: string;
  status: ExpiryStatus;
  /** The flags and fields that name it ("--tls-cert-file of kube-apiserver"). */
  roles: string[];
  /** Where it is referenced: file and 0-based line, to jump to. */
  usedBy: Array<{ file: string; line: number; name: string }>;
}

export interface TreeCa extends TreeCert {
  signed: TreeCert[];
}

/** The cluster's PKI as `kubeadm certs check-expiration` would list it, grouped by CA. */
export interface PkiTree {
  folder: string;
  cas: TreeCa[];
  /** Certificates whose CA is not among the tree's CAs. */
  orphans: TreeCert[];
}

function statusOf(cert: CertificateInfo, now: Date, warningDays: number): ExpiryStatus {
  return expiryStatus(cert, now, warningDays) ?? 'ok';
}

const roleOf = (ref: Reference) => `${ref.name}${ref.component === 'kubeconfig' ? ` of ${ref.owner ?? posix.basename(ref.file)}` : ` of ${ref.component}`}`;

export function pkiTree(ctx: RuleContext): PkiTree {
  const entries = new Map<string, { cert: CertificateInfo; item: TreeCert; ca: boolean }>();
  for (const ref of ctx.nodes.flatMap(nodeReferences)) {
    const target = ctx.ok(ref);
    // Only references that use the file as a certificate: a combined cert+key file named as the key is not a second role.
    if (!target || target.certs.length === 0 || !CERTIFICATE_ROLES.has(ref.role)) continue;
    const certs = ref.role === 'client-ca' || ref.role === 'server-ca' ? target.certs : target.certs.slice(0, 1);
    for (const cert of certs) {
      // One entry per certificate, wherever it is written (ca.crt and every kubeconfig's certificate-authority-data).
      const key = cert.sha256;
      let entry = entries.get(key);
      if (!entry) {
        entry = {
          cert,
          ca: cert.basicConstraints?.ca === true,
          item: {
            path: ref.inline ? ref.file : target.path!,
            user: ref.inline ? ref.owner : undefined,
            subject: cert.subject.text || '(empty subject)',
            notAfter: cert.notAfter.toISOString(),
            expiry: expiryPhrase(cert, ctx.now),
            status: statusOf(cert, ctx.now, ctx.options.expiryWarningDays),
            roles: [],
            usedBy: [],
          },
        };
        entries.set(key, entry);
      }
      if (!entry.item.roles.includes(roleOf(ref))) entry.item.roles.push(roleOf(ref));
      entry.item.usedBy.push({ file: ref.file, line: ref.range.start.line, name: ref.name });
    }
  }
  const all = [...entries.values()];
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
  const bySubject = (a: TreeCert, b: TreeCert) => a.subject.localeCompare(b.subject);
  cas.sort(bySubject).forEach((ca) => ca.signed.sort(bySubject));
  return { folder: ctx.workspace.boundary, cas, orphans: orphans.sort(bySubject) };
}
