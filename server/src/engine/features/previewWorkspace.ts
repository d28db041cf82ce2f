import { nodeReferences } from '../check/clusterModel';
import type { ExpiryTable } from '../check/expiryTable';
import type { RuleContext } from '../check/ruleContext';
import { CERTIFICATE_ROLES } from '../kube/flagTable';
import type { CertificateInfo } from '../pki/certificate';
import { checkIssuedBy } from '../verify/issuedBy';
import { findIssuer } from '../verify/potentialIssuers';

/** A CA of the workspace above a previewed certificate, with the verdict on the link below it. */
export interface PreviewCaLink {
  role: string;
  subject: string;
  file: string;
  line: number;
  notBefore: string;
  notAfter: string;
  /** Whether the certificate below (the previewed one, or the previous link) is issued by this CA. */
  verified: boolean;
  reason: string;
}

/** A flag or field that names the previewed certificate. */
export interface PreviewReference {
  file: string;
  line: number;
  component: string;
  name: string;
}

/** What the workspace knows of a certificate: its role, the CAs that signed it up to a root, who names it. */
export interface PreviewPlacement {
  role?: string;
  caChain: PreviewCaLink[];
  references: PreviewReference[];
}

interface WorkspaceCa {
  cert: CertificateInfo;
  file: string;
  line: number;
}

/** At most this many CAs above a certificate: kubeadm's trees are two deep, a loop of cross-signed CAs ends here. */
const MAX_CHAIN = 8;

/** The workspace's view of certificates: built once per preview from the folder's check and expiry table. */
export function previewPlacements(ctx: RuleContext, table: ExpiryTable): (cert: CertificateInfo) => PreviewPlacement {
  const rows = new Map([...table.certificates, ...table.authorities].map((r) => [r.sha256, r]));
  const cas = new Map<string, WorkspaceCa>();
  const references = new Map<string, PreviewReference[]>();
  for (const ref of [...ctx.nodes.flatMap(nodeReferences), ...ctx.nodes.flatMap((n) => n.implicit)]) {
    const target = ctx.ok(ref);
    if (!target || !CERTIFICATE_ROLES.has(ref.role)) continue;
    for (const cert of target.certs) {
      const row = rows.get(cert.sha256);
      if (cert.basicConstraints?.ca === true && !cas.has(cert.sha256))
        cas.set(cert.sha256, { cert, file: row?.file ?? target.path ?? ref.file, line: row?.line ?? ref.range.start.line });
      const list = references.get(cert.sha256) ?? [];
      if (!list.some((r) => r.file === ref.file && r.line === ref.range.start.line))
        list.push({ file: ref.file, line: ref.range.start.line, component: ref.component, name: ref.name });
      references.set(cert.sha256, list);
    }
  }
  const all = [...cas.values()];
  return (cert) => {
    const caChain: PreviewCaLink[] = [];
    let below = cert;
    const seen = new Set([cert.sha256]);
    while (caChain.length < MAX_CHAIN && !(below.selfIssued && below !== cert)) {
      const issuer = findIssuer(
        below,
        all.filter((ca) => !seen.has(ca.cert.sha256)),
        (ca) => ca.cert,
      );
      if (!issuer) break;
      seen.add(issuer.cert.sha256);
      const verdict = checkIssuedBy(below, issuer.cert);
      caChain.push({
        role: rows.get(issuer.cert.sha256)?.role ?? 'CA',
        subject: issuer.cert.subject.text || '(empty subject)',
        file: issuer.file,
        line: issuer.line,
        notBefore: issuer.cert.notBefore.toISOString(),
        notAfter: issuer.cert.notAfter.toISOString(),
        verified: verdict.ok,
        reason: verdict.reasons.join('; '),
      });
      below = issuer.cert;
    }
    return { role: rows.get(cert.sha256)?.role, caChain, references: references.get(cert.sha256) ?? [] };
  };
}
