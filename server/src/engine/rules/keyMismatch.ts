import { posix } from 'node:path';
import { nodeReferences, refOf } from '../check/clusterModel';
import { podFor } from '../check/nodeFacts';
import type { RuleContext } from '../check/ruleContext';
import { MICROK8S_UNNAMED_PAIRS } from '../distributions';
import { reissueFix } from '../fix/reissue';
import { valueLabel } from '../kube/kinds';
import type { Reference } from '../kube/reference';
import type { PublicKeyInfo } from '../pki/publicKey';
import { checkKeyPair } from '../verify/keyPair';
import { placeOf, tlsTriples } from './objectValues';
import { Report, Rule } from './rule';
import { standaloneCertificates } from './standalone';

/** The certificates of the tree (named or not) whose public key is this one: where a misplaced key really belongs. */
function certificatesOf(ctx: RuleContext, key: PublicKeyInfo): string[] {
  const names = new Set<string>();
  for (const ref of ctx.nodes.flatMap((n) => [...nodeReferences(n), ...n.implicit])) {
    const target = ctx.ok(ref);
    if (!target?.certs.some((c) => c.publicKey.spkiSha256 === key.spkiSha256)) continue;
    names.add(target.path ? ctx.shownPath(target.path) : ctx.describe(ref));
  }
  for (const { file, cert } of standaloneCertificates(ctx)) if (cert.publicKey.spkiSha256 === key.spkiSha256) names.add(ctx.shownPath(file));
  return [...names].sort();
}

/** Public keys a --service-account-key-file offers: public keys, certificates' keys, private keys' public halves. */
function publicKeysOf(ctx: RuleContext, ref: Reference | undefined): PublicKeyInfo[] {
  const target = ctx.ok(ref);
  if (!target) return [];
  return [...target.publicKeys, ...target.certs.map((c) => c.publicKey), ...(target.privateKey?.publicKey ? [target.privateKey.publicKey] : [])];
}

function checkPairs(ctx: RuleContext, report: Report, references: Reference[]): void {
  for (const keyRef of references) {
    if (!keyRef.spec.pairedWith || (keyRef.role !== 'serving-key' && keyRef.role !== 'client-key' && keyRef.role !== 'signing-key')) continue;
    const certRef = references.find((r) => r.spec.name === keyRef.spec.pairedWith && r.file === keyRef.file && r.owner === keyRef.owner);
    const cert = ctx.ok(certRef)?.certs[0];
    const key = ctx.ok(keyRef)?.privateKey;
    if (!certRef || !cert || !key?.publicKey) continue;
    const verdict = checkKeyPair(cert.publicKey, key.publicKey);
    if (verdict.ok) continue;
    const owners = certificatesOf(ctx, key.publicKey);
    const belongs = owners.length ? `; the key belongs to ${owners.join(', ')} instead` : '';
    report(
      keyRef,
      `${ctx.describe(keyRef)} does not belong to ${ctx.describe(certRef)}: ${verdict.reasons.join('; ').replace(/^the private key does not belong to the certificate: /, '')}${belongs}`,
      reissueFix(ctx, certRef, cert, `Re-issue ${ctx.describe(certRef).split(' ')[0]} for the key ${ctx.describe(keyRef).split(' ')[0]}`),
    );
  }
}

/** Pairs a distribution loads from a folder, named by no flag (MicroK8s's dqlite cluster.crt/cluster.key): both files beside each other. */
function checkUnnamedPairs(ctx: RuleContext, report: Report): void {
  for (const { file, range, cert } of standaloneCertificates(ctx)) {
    const pair = MICROK8S_UNNAMED_PAIRS.find((p) => p.cert.test(file));
    const keyPath = pair && posix.join(posix.dirname(file), pair.key);
    const key = keyPath ? ctx.standalone.find((l) => l.path === keyPath)?.decoded.blocks.find((b) => b.object?.kind === 'privateKey')?.object : undefined;
    if (!pair || key?.kind !== 'privateKey' || !key.publicKey) continue;
    const verdict = checkKeyPair(cert.publicKey, key.publicKey);
    if (!verdict.ok)
      report(
        { file, range },
        `${pair.what} does not belong to the ${pair.key} beside it, which it is served with: ${verdict.reasons.join('; ').replace(/^the private key does not belong to the certificate: /, '')}`,
      );
  }
}

/** A Secret's tls.key against its tls.crt: the pair a TLS server loads together. */
function checkSecrets(ctx: RuleContext, report: Report): void {
  for (const { cert, key } of tlsTriples(ctx)) {
    const certs = ctx.objects.ok(cert)?.certs ?? [];
    const privateKey = ctx.objects.ok(key)?.privateKey;
    if (!key || certs.length === 0 || !privateKey?.publicKey) continue;
    // The key of a later certificate of tls.crt is chain-order's finding (the leaf is not first), not a mismatch.
    if (certs.some((c) => checkKeyPair(c.publicKey, privateKey.publicKey!).ok)) continue;
    const verdict = checkKeyPair(certs[0].publicKey, privateKey.publicKey);
    if (!verdict.ok)
      report(
        placeOf(key),
        `${valueLabel(key)} does not belong to its tls.crt: ${verdict.reasons.join('; ').replace(/^the private key does not belong to the certificate: /, '')}`,
      );
  }
}

/** A CSR's status.certificate against its spec.request: the signer certifies the request's key, or the certificate is for another request. */
function checkCsrs(ctx: RuleContext, report: Report): void {
  for (const object of ctx.objects.objects) {
    if (object.kind !== 'CertificateSigningRequest') continue;
    const request = ctx.objects.ok(object.values.find((v) => v.field === 'spec.request'))?.csrs[0];
    const issued = object.values.find((v) => v.field === 'status.certificate');
    const cert = ctx.objects.ok(issued)?.certs[0];
    if (!request || !issued || !cert || cert.publicKey.spkiSha256 === request.publicKey.spkiSha256) continue;
    report(
      placeOf(issued),
      `${valueLabel(issued)} does not certify the key of its spec.request: the certificate holds ${cert.publicKey.description} ${cert.publicKey.spkiSha256.slice(0, 23)}..., the request ${request.publicKey.description} ${request.publicKey.spkiSha256.slice(0, 23)}...`,
    );
  }
}

export const keyMismatch: Rule = {
  meta: {
    code: 'key-mismatch',
    severity: 'error',
    description: 'A certificate and the private key paired with it do not belong together, or the service-account key halves differ.',
    docs: 'docs/rules/key-mismatch.md',
    fixable: true,
    options: [],
  },
  check(ctx, report) {
    checkSecrets(ctx, report);
    checkCsrs(ctx, report);
    checkUnnamedPairs(ctx, report);
    for (const node of ctx.nodes) {
      for (const pod of Object.values(node.pods)) checkPairs(ctx, report, pod!.references);
      checkPairs(ctx, report, node.kubelet);
      for (const kubeconfig of node.kubeconfigs) checkPairs(ctx, report, kubeconfig.references);
      for (const { document } of [...node.talosMachineConfigs, ...node.talosconfigs]) checkPairs(ctx, report, document.references);

      // Service-account tokens: signed with one private key, verified with the public keys of --service-account-key-file.
      const apiserver = node.pods['kube-apiserver'];
      const verifyRef = refOf(apiserver, '--service-account-key-file');
      const verifiers = publicKeysOf(ctx, verifyRef);
      if (!verifyRef || verifiers.length === 0) continue;
      const signers = [
        refOf(apiserver, '--service-account-signing-key-file'),
        refOf(podFor(ctx, node, 'kube-controller-manager'), '--service-account-private-key-file'),
      ];
      for (const signer of signers) {
        const key = signer ? ctx.ok(signer)?.privateKey?.publicKey : undefined;
        if (!signer || !key) continue;
        if (!verifiers.some((v) => v.spkiSha256 === key.spkiSha256)) {
          report(
            signer,
            `${ctx.describe(signer)} is not the private half of any key in ${ctx.describe(verifyRef)}: service account tokens it signs will be rejected`,
          );
        }
      }
    }
  },
};
