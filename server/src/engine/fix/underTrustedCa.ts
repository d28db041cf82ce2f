import type { FixSpec } from '../check/fixSpec';
import type { RuleContext } from '../check/ruleContext';
import { keyPathFor } from '../gen/profiles';
import type { Reference } from '../kube/reference';
import { sansOf, subjectPairs } from '../pki/certificateFields';
import { pairedKeyRef, referencesAround, reissueFix } from './reissue';
import { base } from './signerFor';

/** kubeadm's lifetime for a kubeconfig's client certificate (its leaf profile): one year. */
const CLIENT_CERT_DAYS = 365;

/**
 * A kubeconfig's client certificate that the API server rejects (ca-mismatch), re-issued under the CA
 * the API server trusts (`caRef`, its --client-ca-file): the same subject and key, so the same identity.
 * Embedded (client-certificate-data) when the key is embedded too, else the referenced file. Undefined
 * when that CA's key is not in the tree, or the user's key is not at hand.
 */
export function reissueUnderTrustedCa(ctx: RuleContext, leafRef: Reference, caRef: Reference): FixSpec | undefined {
  const caPath = ctx.ok(caRef)?.path;
  const cert = ctx.ok(leafRef)?.certs[0];
  if (leafRef.component !== 'kubeconfig' || !caPath || !cert || caRef.inline || !ctx.workspace.exists(keyPathFor(caPath))) return undefined;
  const signer = { certPath: caPath, keyPath: keyPathFor(caPath) };
  const who = leafRef.owner ? `the client certificate of ${leafRef.owner}` : 'the client certificate';
  if (!leafRef.inline) return reissueFix(ctx, leafRef, cert, `Re-issue ${who} under the CA the API server trusts`, sansOf(cert), signer);
  const keyRef = pairedKeyRef(referencesAround(ctx, leafRef), leafRef);
  if (!leafRef.owner || !keyRef?.inline) return undefined;
  return {
    kind: 'kubeconfig-user',
    title: `Re-issue ${who} under ${base(caPath)}, the CA the API server trusts (same subject and key)`,
    kubeconfigPath: leafRef.file,
    user: leafRef.owner,
    keepKey: true,
    subject: subjectPairs(cert),
    signer,
    validityDays: CLIENT_CERT_DAYS,
  };
}
