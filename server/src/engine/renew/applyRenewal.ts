import { withChain } from '../gen/caChain';
import { loadSigner } from '../gen/generatePki';
import { issueCertificate } from '../gen/issue';
import { MAX_INPUT_FILE_BYTES, readRegularFile } from '../io/guardedRead';
import type { PathGuard } from '../io/pathGuard';
import { replaceFile } from '../io/safeWrite';
import { sansOf, subjectPairs, usagesOf } from '../pki/certificateFields';
import { x509 } from '../pki/x509Runtime';
import { replaceClientCertificateData } from './kubeconfigEdit';
import type { PlannedRenewal, RenewalPlan } from './planRenewal';

export interface RenewalOutcome {
  /** Files replaced, each with its .bak-<time> copy. */
  written: Array<{ path: string; backup?: string }>;
}

/** The leaf again: its own public key (no key file is read or written), subject, SANs, usages; signed by its CA, the CA after it where the distribution writes it so. */
async function reissue(item: PlannedRenewal, guard: PathGuard): Promise<string> {
  const old = item.leaf.cert;
  const signer = await loadSigner(guard, item.signer.certPath, item.signer.keyPath);
  const publicKey = await new x509.X509Certificate(Uint8Array.from(old.der)).publicKey.export();
  const cert = await issueCertificate(
    {
      subject: subjectPairs(old),
      ca: false,
      usages: usagesOf(old),
      sans: sansOf(old),
      notBefore: item.notBefore,
      notAfter: item.newNotAfter,
      publicKey,
      keyUsage: old.keyUsage,
    },
    undefined,
    signer,
  );
  return withChain(guard, `${cert.toString('pem')}\n`, item.signer.certPath, item.appendsChain);
}

function readCurrent(guard: PathGuard, path: string): { text: string; mode: number } {
  const read = readRegularFile(path, guard, MAX_INPUT_FILE_BYTES);
  if (!read.bytes) throw new Error(`${path} is too large to update`);
  return { text: Buffer.from(read.bytes).toString('utf8'), mode: read.stat.mode & 0o777 };
}

/**
 * Carries a plan out: every certificate is issued first (nothing is written if one fails), then each file is
 * replaced once through the safe write path, the old one kept as NAME.bak-<time>. A kubeconfig changes only in
 * its client-certificate-data values. Keys are never written.
 */
export async function applyRenewal(guard: PathGuard, plan: RenewalPlan, now: Date): Promise<RenewalOutcome> {
  const byPath = new Map<string, Array<{ item: PlannedRenewal; pem: string }>>();
  for (const item of plan.renew) {
    const pem = await reissue(item, guard);
    byPath.set(item.leaf.path, [...(byPath.get(item.leaf.path) ?? []), { item, pem }]);
  }
  const contents: Array<{ path: string; content: string; mode: number }> = [];
  for (const [path, items] of byPath) {
    const current = readCurrent(guard, path);
    let content = current.text;
    for (const { item, pem } of items) {
      if (item.leaf.field === null) content = pem;
      else {
        const edited = replaceClientCertificateData(content, item.leaf.field, Buffer.from(pem).toString('base64'));
        if (edited === undefined) throw new Error(`${path}: the client-certificate-data of user "${item.leaf.field}" is not a plain value kube-pki can edit`);
        content = edited;
      }
    }
    contents.push({ path, content, mode: current.mode });
  }
  const outcome: RenewalOutcome = { written: [] };
  for (const { path, content, mode } of contents) outcome.written.push({ path, backup: await replaceFile(guard, path, content, mode, now) });
  return outcome;
}
