// What the rules share about API objects' values (Secret tls.crt / tls.key / ca.crt, caBundle...).
import type { RuleContext } from '../check/ruleContext';
import type { ApiObject, ObjectValue } from '../kube/kinds';
import type { CertificateInfo } from '../pki/certificate';
import type { Range } from '../text/lineIndex';

/** Where a finding about a value goes: the value's node. */
export const placeOf = (value: ObjectValue): { file: string; range: Range } => ({ file: value.object.file, range: value.range });

/** The value of an object under one key (`tls.crt` in data or stringData; data wins, as the API server merges stringData over it only on write). */
export function valueOf(object: ApiObject, key: string): ObjectValue | undefined {
  return object.values.find((v) => v.key === key && v.field.startsWith('stringData.')) ?? object.values.find((v) => v.key === key);
}

/** The certificates a value vouches for: the leaf of a certificate value, every certificate of a bundle or of another PEM value. */
export function certificatesOf(ctx: RuleContext, value: ObjectValue): CertificateInfo[] {
  const target = ctx.objects.ok(value);
  if (!target || value.role === 'csr' || value.role === 'private-key') return [];
  return value.role === 'certificate' ? target.certs.slice(0, 1) : target.certs;
}

/** The Secrets (and other objects) that hold a `tls.crt` with its `tls.key` and/or `ca.crt`, each decoded. */
export function tlsTriples(ctx: RuleContext): Array<{ object: ApiObject; cert: ObjectValue; key?: ObjectValue; ca?: ObjectValue }> {
  return ctx.objects.objects.flatMap((object) => {
    const cert = valueOf(object, 'tls.crt');
    if (!cert || object.kind !== 'Secret') return [];
    return [{ object, cert, key: valueOf(object, 'tls.key'), ca: valueOf(object, 'ca.crt') }];
  });
}
