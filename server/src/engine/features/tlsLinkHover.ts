import { certificatesWriting, lookupIssuer, lookupSecret } from '../check/ingressLinks';
import { within } from '../check/objectModel';
import { type UnitView, unitName, unitViews } from '../check/objectUnits';
import type { Finding, RuleContext } from '../check/ruleContext';
import { escapeMarkdown, joinLines } from '../format/markdown';
import { type ApiObject, type NamedValue, objectLabel } from '../kube/kinds';
import type { Position } from '../text/lineIndex';
import { expiryPhrase } from '../verify/validity';
import type { EngineHover } from './types';

/** A name under the cursor that links to a Secret: an Ingress host or secretName, a Gateway hostname or certificateRef. */
interface SecretLink {
  object: ApiObject;
  at: NamedValue;
  what: string;
  /** `namespace` as labels show it; `written` as the reference has it (else the one the object lands in, per unit). */
  secrets: Array<{ namespace?: string; written?: string; name: string }>;
}

function linkAt(ctx: RuleContext, file: string, position: Position): SecretLink | undefined {
  for (const object of ctx.objects.inFile(file))
    for (const t of object.frontend?.terminations ?? []) {
      const secrets = t.secrets.map((s) => ({ namespace: s.namespace ?? object.namespace, written: s.namespace, name: s.name.value }));
      const host = t.hosts.find((h) => within(h.range, position));
      if (host) return { object, at: host, what: 'host', secrets };
      const ref = t.secrets.find((s) => within(s.name.range, position));
      if (ref)
        return {
          object,
          at: ref.name,
          what: 'Secret',
          secrets: [{ namespace: ref.namespace ?? object.namespace, written: ref.namespace, name: ref.name.value }],
        };
    }
  return undefined;
}

/** What stands behind one Secret name: the cert-manager Certificate writing it, the Secret's certificate, or why nothing is known. */
function describeSecret(ctx: RuleContext, view: UnitView, ref: SecretLink['secrets'][number]): string[] {
  const label = escapeMarkdown(`Secret ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`);
  const lines: string[] = [];
  const writers = certificatesWriting(ctx, view, ref.written, ref.name);
  for (const writer of writers) {
    const issuerRef = writer.certificate?.issuerRef;
    const issuer = issuerRef ? `${issuerRef.kind} ${issuerRef.name}` : 'no issuer';
    const defined = issuerRef && lookupIssuer(ctx, view, writer).length === 0 ? ` (${issuer} is not in the workspace)` : '';
    lines.push(
      `${label} is written by ${escapeMarkdown(`${objectLabel(writer)} (issuer ${issuer})${defined}`)}: dnsNames ${escapeMarkdown(writer.certificate?.dnsNames.map((n) => n.value).join(', ') || 'none')}`,
    );
  }
  const secrets = lookupSecret(ctx, view, ref.written, ref.name);
  if (secrets.length === 0 && writers.length === 0) lines.push(`${label} is not in the workspace`);
  if (secrets.length > 1) lines.push(`${label} is ambiguous: ${secrets.map((s) => escapeMarkdown(ctx.shownPath(s.file))).join(', ')}`);
  if (secrets.length === 1) {
    const cert = ctx.objects.ok(secrets[0].values.find((v) => v.key === 'tls.crt'))?.certs[0];
    if (!cert) lines.push(`${label} (${escapeMarkdown(ctx.shownPath(secrets[0].file))}) holds no readable tls.crt`);
    else {
      const sans = (cert.subjectAltNames ?? []).map((s) => `${s.type}:${s.value}`).join(', ') || 'no SANs';
      lines.push(`${label}: ${escapeMarkdown(`${cert.subject.text || '(empty subject)'} · ${sans} · ${expiryPhrase(cert, ctx.now)}`)}`);
    }
  }
  return lines;
}

/** The hover of an Ingress / Gateway host or Secret name: the findings on it, then the certificate that will be served. */
export function hoverTlsLink(ctx: RuleContext, findings: Finding[], file: string, position: Position, findingsShownApart = false): EngineHover | undefined {
  const link = linkAt(ctx, file, position);
  if (!link) return undefined;
  const here = findingsShownApart
    ? []
    : findings.filter((f) => f.file === file && f.range.start.line === link.at.range.start.line && f.range.start.character === link.at.range.start.character);
  const title = `**${escapeMarkdown(link.what)} ${escapeMarkdown(link.at.value)}** of ${escapeMarkdown(objectLabel(link.object))}`;
  const verdicts = here.map((f) => `${f.severity === 'error' ? '✗' : '⚠'} ${escapeMarkdown(f.message)} (${escapeMarkdown(f.code)})`);
  const lines = link.secrets.length === 0 ? ['no Secret: the controller serves its default certificate'] : secretLines(ctx, link);
  return { markdown: [joinLines([title, ...verdicts]), joinLines(lines)].join('\n\n'), range: link.at.range };
}

/** Each Secret as each unit deploying the object resolves it: a base's Ingress names its unit (overlay) on each line. */
function secretLines(ctx: RuleContext, link: SecretLink): string[] {
  const views = unitViews(ctx, link.object);
  const lines = views.flatMap((view) => {
    const described = link.secrets.flatMap((s) => describeSecret(ctx, view, s));
    return views.length > 1 ? described.map((line) => `in ${escapeMarkdown(unitName(ctx, view.unit))}: ${line}`) : described;
  });
  return [...new Set(lines)];
}
