// The quick fix for a Secret's certificate that lacks names: found at check time (no key is read or signed with here),
// carried out by resolveSecretReissue when the user picks it.
import type { FixSpec, ValueRef } from '../check/fixSpec';
import type { ObjectModel } from '../check/objectModel';
import type { RuleContext } from '../check/ruleContext';
import { base, signerFor } from '../fix/signerFor';
import { type ObjectValue, objectLabel, valueLabel } from '../kube/kinds';
import { getOrMake } from '../memo';
import type { CertificateInfo } from '../pki/certificate';
import { sansOf } from '../pki/certificateFields';
import { findIssuer } from '../verify/potentialIssuers';
import { valueOf } from './objectValues';

interface Candidate {
  ca: CertificateInfo;
  refs: { cert: ValueRef; key: ValueRef };
  label: string;
}

const refOf = (value: ObjectValue): ValueRef => ({ path: value.object.file, range: value.range });

const casOfModel = new WeakMap<ObjectModel, Candidate[]>();

/**
 * Every Secret in the repository holding a CA certificate with its key (tls.crt/tls.key, or ca.crt/ca.key); once per
 * check, as each Secret lacking names asks (200 of them in a 50k-file repository made this scan a tenth of the check).
 */
function secretCas(ctx: RuleContext): Candidate[] {
  return getOrMake(casOfModel, ctx.objects, () => secretCasOf(ctx));
}

function secretCasOf(ctx: RuleContext): Candidate[] {
  return ctx.objects.objects.flatMap((object) => {
    if (object.kind !== 'Secret') return [];
    return [
      ['tls.crt', 'tls.key'],
      ['ca.crt', 'ca.key'],
    ].flatMap(([certKey, keyKey]) => {
      const cert = valueOf(object, certKey);
      const key = valueOf(object, keyKey);
      const ca = ctx.objects.ok(cert)?.certs[0];
      if (!cert || !key || !ca?.basicConstraints?.ca || !ctx.objects.ok(key)?.privateKey) return [];
      return [{ ca, refs: { cert: refOf(cert), key: refOf(key) }, label: `${certKey} of ${objectLabel(object)}` }];
    });
  });
}

/** The CA that signed `leaf`, when the repository holds its key: a CA Secret, or CA files the nodes name with the key beside. */
function signingCa(ctx: RuleContext, leaf: CertificateInfo): Omit<Candidate, 'ca'> | undefined {
  const fromSecret = findIssuer(leaf, secretCas(ctx), (c) => c.ca);
  if (fromSecret) return fromSecret;
  const files = signerFor(ctx, leaf);
  return files && { refs: { cert: { path: files.certPath }, key: { path: files.keyPath } }, label: base(files.certPath) };
}

/**
 * Re-issue `cert` (a Secret's tls.crt) with `missing` added, when its signing CA's key is in the repository; undefined
 * otherwise (the rule's doc page says why). A base64 value must be one plain line, a PEM one a block scalar (`|`).
 */
export function secretReissueFix(ctx: RuleContext, cert: ObjectValue, missing: string[]): FixSpec | undefined {
  const leaf = ctx.objects.ok(cert)?.certs[0];
  if (!leaf || leaf.basicConstraints?.ca) return undefined;
  const oneLine = cert.range.start.line === cert.range.end.line;
  if (cert.encoding === 'base64' ? !oneLine : oneLine) return undefined;
  const signer = signingCa(ctx, leaf);
  if (!signer) return undefined;
  const had = new Set(sansOf(leaf).map((s) => s.toLowerCase()));
  const addSans = missing.filter((name) => !had.has(name.toLowerCase()));
  if (addSans.length === 0) return undefined;
  const key = valueOf(cert.object, 'tls.key');
  return {
    kind: 'reissue-secret-cert',
    title: `Re-issue ${valueLabel(cert)} with ${addSans.join(', ')} added (signed by ${signer.label}, same key)`,
    cert: { path: cert.object.file, range: cert.range },
    ...(key && ctx.objects.ok(key)?.privateKey ? { key: refOf(key) } : {}),
    addSans,
    signer: signer.refs,
  };
}
