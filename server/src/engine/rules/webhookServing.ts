// What ca-mismatch and san-missing hold a webhook's, APIService's or conversion webhook's caBundle to: the certificate
// its Service really serves, found through the repository (check/objectLinks.ts). A link that stops short is no finding.
import type { FixSpec } from '../check/fixSpec';
import { injectedCa, type ServingLink, servingLinks } from '../check/objectLinks';
import type { RuleContext } from '../check/ruleContext';
import { type ApiObject, type ObjectValue, objectLabel, valueLabel } from '../kube/kinds';
import { getOrMake } from '../memo';
import { dnsPatternMatches, matchHostname } from '../verify/hostname';
import { edgeVerdict } from './helpers';
import { placeOf, valueOf } from './objectValues';
import type { Report } from './rule';
import { secretReissueFix } from './secretReissue';

const UNKNOWN_AUTHORITY = 'the API server rejects the webhook with x509: certificate signed by unknown authority';

/** "(webhook y)", "(conversion webhook)", or nothing for an APIService: which of the object's callers. */
function callerOf(link: ServingLink): string {
  if (link.object.kind.endsWith('WebhookConfiguration')) return ` (webhook ${link.config.owner})`;
  return link.object.kind === 'CustomResourceDefinition' ? ' (conversion webhook)' : '';
}

/** "Secret ns/tls tls.crt via Deployment ns/d, volume certs": where the served certificate comes from. */
function sourceOf(link: ServingLink): string {
  const via = link.workload ? ` via ${objectLabel(link.workload)}${link.volume ? `, volume ${link.volume}` : ''}` : '';
  if (link.serving) return `${objectLabel(link.serving.object)} ${link.serving.key}${via}`;
  return `Secret written by ${link.certificate ? objectLabel(link.certificate) : '?'}${via}`;
}

const serviceOf = (link: ServingLink) => (link.service ? objectLabel(link.service) : link.host);

/** ca-mismatch: a caBundle that does not sign what its Service serves (the served Secret's certificate, or the issuer CA of the Certificate writing it). */
export function checkServingCaBundles(ctx: RuleContext, report: Report): void {
  const said = new Set<string>();
  for (const link of servingLinks(ctx)) {
    const bundle = link.config.caBundle;
    const bundleCerts = bundle && ctx.objects.ok(bundle)?.certs;
    if (!bundle || !bundleCerts?.length) continue;
    const servedCerts = link.serving ? ctx.objects.ok(link.serving)?.certs : link.issuerCa && ctx.objects.ok(link.issuerCa)?.certs;
    if (!servedCerts?.length) continue;
    const verdict = edgeVerdict(servedCerts, bundleCerts);
    const message = `caBundle of ${objectLabel(link.object)}${callerOf(link)} does not sign the certificate ${serviceOf(link)} serves (${sourceOf(link)}): ${UNKNOWN_AUTHORITY}`;
    // Overlays deploying one base link it once each: the same fault in several of them is one finding.
    if (verdict.ok || verdict.tooComplex || said.has(message)) continue;
    said.add(message);
    report(placeOf(bundle), message, replaceCaBundle(ctx, link, bundle));
  }
  checkInjectedCas(ctx, report);
}

/**
 * The quick fix: the caBundle replaced by the CA the repository says signed the served certificate (the served Secret's
 * ca.crt when it verifies tls.crt, or the Certificate's issuer CA), as base64 of its PEM; every other byte kept.
 */
function replaceCaBundle(ctx: RuleContext, link: ServingLink, bundle: ObjectValue): FixSpec | undefined {
  const served = link.serving && ctx.objects.ok(link.serving)?.certs;
  const caCrt = link.serving && valueOf(link.serving.object, 'ca.crt');
  const caCerts = caCrt && ctx.objects.ok(caCrt)?.certs;
  const signer = served?.length && caCerts?.length && edgeVerdict(served, caCerts).ok ? caCrt : link.serving ? undefined : link.issuerCa;
  // A block scalar spans lines: replacing it with a plain scalar is left to the user.
  if (!signer || bundle.range.start.line !== bundle.range.end.line) return undefined;
  const base64 = signer.encoding === 'base64' ? signer.value.replace(/\s+/g, '') : Buffer.from(signer.value).toString('base64');
  return {
    kind: 'edit-text',
    title: `Replace caBundle with ${valueLabel(signer)}`,
    path: bundle.object.file,
    edits: [{ range: bundle.range, newText: base64 }],
  };
}

/** ca-mismatch on a cert-manager.io/inject-ca-from(-secret) annotation: the CA cainjector writes does not sign the served certificate. */
function checkInjectedCas(ctx: RuleContext, report: Report): void {
  // One group per object and unit: a base's webhook configuration is checked in each overlay deploying it.
  const groups = new Map<ApiObject, Map<unknown, ServingLink[]>>();
  for (const link of servingLinks(ctx)) {
    // Appended in place: a copy per link was quadratic in an object's webhooks.
    getOrMake(
      getOrMake(groups, link.object, () => new Map<unknown, ServingLink[]>()),
      link.view.unit,
      () => [],
    ).push(link);
  }
  const said = new Set<string>();
  for (const [object, byUnit] of groups)
    for (const links of byUnit.values()) {
      const injected = injectedCa(ctx, links[0].view, object);
      const caCerts = injected?.ca && ctx.objects.ok(injected.ca)?.certs;
      if (!injected?.ca || !injected.from || !caCerts?.length) continue;
      // One fault, one finding: the annotation is wrong once, whichever webhooks of the object serve the certificate.
      const link = links.find((l) => {
        const served = l.serving && ctx.objects.ok(l.serving)?.certs;
        if (!served?.length) return false;
        const verdict = edgeVerdict(served, caCerts);
        return !verdict.ok && !verdict.tooComplex;
      });
      const whose = injected.from.kind === 'Secret' ? `whose CA (${injected.ca.key})` : `whose issuer's CA (${valueLabel(injected.ca)})`;
      const message =
        link &&
        `${injected.annotation} of ${objectLabel(object)} names ${objectLabel(injected.from)}, ${whose} does not sign the certificate ${serviceOf(link)} serves (${sourceOf(link)}): cainjector writes that CA into caBundle and ${UNKNOWN_AUTHORITY}`;
      if (!message || said.has(message)) continue;
      said.add(message);
      report({ file: object.file, range: injected.range }, message);
    }
}

/** san-missing: the served certificate (a Secret's, or a Certificate's dnsNames) lacks `<service>.<namespace>.svc`. */
export function checkServingNames(ctx: RuleContext, report: Report): void {
  const said = new Set<string>();
  for (const link of servingLinks(ctx)) {
    // A url's host is an Ingress's or a Certificate's: ingress-host-not-covered judges its name (one fault, one finding).
    if (!link.service) continue;
    const cert = link.serving && ctx.objects.ok(link.serving)?.certs[0];
    const spec = link.certificate?.links?.certificate;
    const place = cert ? placeOf(link.serving!) : link.certificate && spec ? { file: link.certificate.file, range: spec.range } : undefined;
    if (!place) continue;
    const covered = cert ? matchHostname(cert, link.host).ok : !!spec?.dnsNames.some((n) => dnsPatternMatches(n, link.host));
    const key = `${place.file}\u0000${place.range.start.line}:${place.range.start.character}\u0000${link.host}`;
    if (covered || said.has(key)) continue;
    said.add(key);
    const what = cert ? valueLabel(link.serving!) : `dnsNames of ${objectLabel(link.certificate!)}`;
    report(
      place,
      `${what} has no DNS SAN ${link.host}, the name the API server dials for ${objectLabel(link.object)}${callerOf(link)}: it rejects the webhook with x509: certificate is valid for other names, not ${link.host}`,
      cert ? secretReissueFix(ctx, link.serving!, [link.host]) : undefined,
    );
  }
}
