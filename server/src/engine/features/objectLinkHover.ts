import { servingLinks, servingPhrase } from '../check/objectLinks';
import { unitName, unitViews } from '../check/objectUnits';
import type { RuleContext } from '../check/ruleContext';
import { escapeMarkdown } from '../format/markdown';
import { type ObjectValue, objectLabel } from '../kube/kinds';

/**
 * The links of a value as its hover says them: a caBundle's serving certificate ("served by webhook.ns.svc via
 * Deployment ns/x, volume certs"), a Secret's or a CA's callers ("verified by caBundle of ValidatingWebhookConfiguration y").
 * Where a link stops (a name not in the workspace, an ambiguous one), the hover says so: that is never a finding.
 */
export function valueLinkLines(ctx: RuleContext, value: ObjectValue): string[] {
  const lines: string[] = [];
  for (const link of servingLinks(ctx)) {
    const caller = `${objectLabel(link.object)}${link.object.kind.endsWith('WebhookConfiguration') ? ` (webhook ${link.config.owner})` : ''}`;
    // A base deployed by several overlays links once in each: say which.
    const where = unitViews(ctx, link.object).length > 1 ? `in ${unitName(ctx, link.view.unit)}: ` : '';
    if (link.config.caBundle === value) lines.push(`→ ${where}${servingPhrase(link)}`);
    const injects = link.object.links?.injectCaFrom || link.object.links?.injectCaFromSecret;
    const verifier = link.config.caBundle || !injects ? 'caBundle' : 'the CA cert-manager injects into the caBundle';
    if (link.serving === value) lines.push(`← ${where}verified by ${verifier} of ${caller}, which dials ${link.host}`);
    if (link.issuerCa === value) lines.push(`← ${where}the CA of the certificate served to ${caller} at ${link.host}`);
  }
  return [...new Set(lines)].map(escapeMarkdown);
}
