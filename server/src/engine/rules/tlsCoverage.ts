// Whether a host an Ingress or Gateway serves over TLS is covered by the certificate that will be served for it.
import { certificatesWriting, lookupSecret } from '../check/ingressLinks';
import { type UnitView, unitViews } from '../check/objectUnits';
import type { RuleContext } from '../check/ruleContext';
import { type ApiObject, type NamedValue, objectLabel, type TlsTermination } from '../kube/kinds';
import { dnsPatternMatches, matchHostname } from '../verify/hostname';
import { valueOf } from './objectValues';

/** Why a host is not covered by one Secret: its certificate's SANs, or (cert-manager writes it) a Certificate's dnsNames. */
export type Uncovered = { by: 'secret'; secret: ApiObject; reason: string } | { by: 'certificate'; certificate: ApiObject; secretName: string };

/** The names a cert-manager Certificate asks for (dnsNames and commonName, which cert-manager also puts in the SANs' place for ACME). */
const certificateNames = (certificate: ApiObject) => [
  ...(certificate.certificate?.dnsNames ?? []),
  ...(certificate.certificate?.commonName ? [certificate.certificate.commonName] : []),
];

/**
 * The host against one referenced Secret: 'covered', 'unknown' (not in the workspace, ambiguous, undecodable: no finding),
 * or why not. A Certificate writing the Secret decides, as cert-manager rewrites the Secret to match it.
 */
function judgeSecret(ctx: RuleContext, view: UnitView, ref: TlsTermination['secrets'][number], host: string): 'covered' | 'unknown' | Uncovered {
  // No namespace written: the one the Ingress or Gateway lands in, in this unit.
  const namespace = ref.namespace;
  const writers = certificatesWriting(ctx, view, namespace, ref.name.value);
  if (writers.length > 1) return 'unknown';
  if (writers.length === 1) {
    const certificate = writers[0];
    return certificateNames(certificate).some((n) => dnsPatternMatches(n.value, host))
      ? 'covered'
      : { by: 'certificate', certificate, secretName: ref.name.value };
  }
  const secrets = lookupSecret(ctx, view, namespace, ref.name.value);
  const leaf = secrets.length === 1 ? ctx.objects.ok(valueOf(secrets[0], 'tls.crt'))?.certs[0] : undefined;
  if (!leaf) return 'unknown';
  const verdict = matchHostname(leaf, host);
  return verdict.ok ? 'covered' : { by: 'secret', secret: secrets[0], reason: verdict.reasons.join('; ') };
}

/**
 * Each host served over TLS that no referenced certificate covers, with why (the first reference's reason), in each unit
 * deploying the object (a base's Ingress in every overlay); the same reason in several units is said once.
 */
export function uncoveredHosts(ctx: RuleContext): Array<{ object: ApiObject; host: NamedValue; why: Uncovered }> {
  const found: Array<{ object: ApiObject; host: NamedValue; why: Uncovered }> = [];
  const said = new Set<string>();
  for (const object of ctx.objects.objects) {
    if (!object.frontend?.terminations.length) continue;
    for (const view of unitViews(ctx, object))
      for (const termination of object.frontend.terminations)
        for (const host of termination.hosts) {
          const verdicts = termination.secrets.map((ref) => judgeSecret(ctx, view, ref, host.value));
          const why = verdicts.find((v): v is Uncovered => typeof v === 'object');
          if (!why || !verdicts.every((v) => typeof v === 'object')) continue;
          const by = why.by === 'secret' ? `${objectLabel(why.secret)}\u0000${why.reason}` : objectLabel(why.certificate);
          const key = `${host.range.start.line}:${host.range.start.character}\u0000${by}`;
          if (said.has(key)) continue;
          said.add(key);
          found.push({ object, host, why });
        }
  }
  return found;
}
