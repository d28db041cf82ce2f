import { describeBlock, Field, Finding, isSelfSigned } from '../format/describe';
import type { CertificateInfo } from '../pki/certificate';
import { DecodedFile } from '../pki/decode';
import { checkIssuedBy } from '../verify/issuedBy';
import { MAX_CHAIN_SIGNATURE_CHECKS, potentialIssuers } from '../verify/potentialIssuers';
import { daysBetween } from '../verify/validity';
import type { PreviewCaLink, PreviewPlacement, PreviewReference } from './previewWorkspace';

/** One block as the preview panel shows it: the shared description plus the facts the timeline and chain need. */
export interface PreviewBlock {
  index: number;
  label: string;
  kind: 'certificate' | 'csr' | 'publicKey' | 'privateKey' | 'other' | 'invalid';
  title: string;
  fields: Field[];
  findings: Finding[];
  /** Certificates only: ISO dates, for the validity timeline. */
  notBefore?: string;
  notAfter?: string;
  subject?: string;
  issuer?: string;
  isCA?: boolean;
  selfSigned?: boolean;
  sha256?: string;
  sha1?: string;
  /** Whole days until notAfter, negative once expired. */
  daysLeft?: number;
  /** From the workspace's check, when the file is in a checked folder: its role ("apiserver", "etcd peer")... */
  role?: string;
  /** ...the CAs of the workspace above it, nearest first, each with the verdict on the link below it... */
  caChain?: PreviewCaLink[];
  /** ...and the flags and fields that name it. */
  references?: PreviewReference[];
  /** Starting line (0-based) of the block in the file, for "reveal in editor". */
  line?: number;
}

/** "block i is signed by block j" within the file, verified or not. */
export interface PreviewLink {
  from: number;
  to: number;
  verified: boolean;
  reason: string;
}

/** What the preview panel renders: plain JSON from the server (the client has no decoder). No private key material. */
export interface PreviewData {
  path: string;
  now: string;
  format: DecodedFile['format'];
  error?: string;
  blocks: PreviewBlock[];
  chain: PreviewLink[];
}

/** `placement`: what the folder's check knows of a certificate (its CAs and references); absent outside a checked folder. */
export function previewData(path: string, file: DecodedFile, now = new Date(), placement?: (cert: CertificateInfo) => PreviewPlacement): PreviewData {
  const blocks: PreviewBlock[] = file.blocks.map((block) => {
    const description = describeBlock(block, now);
    const object = block.object;
    const base: PreviewBlock = {
      index: block.index,
      label: block.label,
      kind: object ? object.kind : 'invalid',
      title: description.title,
      fields: description.fields,
      findings: description.findings,
      line: block.range?.start.line,
    };
    if (object?.kind !== 'certificate') return base;
    const valid = (d: Date) => (Number.isNaN(d.getTime()) ? undefined : d.toISOString());
    return {
      ...base,
      notBefore: valid(object.notBefore),
      notAfter: valid(object.notAfter),
      subject: object.subject.text,
      issuer: object.issuer.text,
      isCA: object.basicConstraints?.ca ?? false,
      selfSigned: isSelfSigned(object),
      sha256: object.sha256,
      sha1: object.sha1,
      daysLeft: Number.isNaN(object.notAfter.getTime()) ? undefined : daysBetween(now, object.notAfter),
      ...placement?.(object),
    };
  });
  const certs = file.blocks.flatMap((b) => (b.object?.kind === 'certificate' ? [{ index: b.index, cert: b.object as CertificateInfo }] : []));
  const chain: PreviewLink[] = [];
  // Every same-named pair was N x M signature checks (a bundle of 1,000 CN=kubernetes CAs: a million).
  // Each certificate's likeliest parents come first (AKI/SKI) and at most Go's budget of them is checked.
  for (const child of certs) {
    const parents = potentialIssuers(child.cert, certs, (c) => c.cert).filter((parent) => parent.index !== child.index);
    for (const parent of parents.slice(0, MAX_CHAIN_SIGNATURE_CHECKS)) {
      const verdict = checkIssuedBy(child.cert, parent.cert);
      chain.push({ from: child.index, to: parent.index, verified: verdict.ok, reason: verdict.reasons.join('; ') });
    }
  }
  return { path, now: now.toISOString(), format: file.format, error: file.error, blocks, chain };
}
