import type { Finding, RuleContext } from '../check/ruleContext';
import { describeObject } from '../format/describe';
import { escapeMarkdown, joinLines, renderMarkdown } from '../format/markdown';
import { objectLabel, valueLabel } from '../kube/kinds';
import { commonName } from '../pki/distinguishedName';
import { displayLabel } from '../text/displayText';
import type { Position, Range } from '../text/lineIndex';
import { expiryPhrase } from '../verify/validity';
import { valueLinkLines } from './objectLinkHover';
import type { EngineHover } from './types';

/**
 * Editor features on API objects' values (a Secret's tls.crt, a webhook's caBundle), read from the
 * check's object model: the same decoding and findings as `kube-pki check`, the same description as a PEM file's hover.
 */

const NOT_JUDGED = {
  encrypted: 'encrypted (SOPS): not decoded',
  injected: 'filled in the cluster by a controller (an injection annotation): not judged here',
  placeholder: 'a placeholder (no certificate yet): not judged here',
};

/**
 * The hover of the value under the cursor, its answer first as for file references: the findings on it
 * (unless the editor shows them above the hover), then what it decodes to; the other fields are `moreFields`
 * (an inline value has no file for the preview, so every client gets them below).
 */
/**
 * `links` false: the value's own hover (decoded, its own findings) without its links to other objects, for a check
 * of the open files alone (the server's first pass still running), where every other object would be missing.
 */
export function hoverObjectValue(
  ctx: RuleContext,
  findings: Finding[],
  file: string,
  position: Position,
  findingsShownApart = false,
  links = true,
): EngineHover | undefined {
  const value = ctx.objects.valueAt(file, position);
  if (!value) return undefined;
  const target = ctx.objects.target(value);
  const findingsHere = findings.filter(
    (f) => f.file === file && f.range.start.line === value.range.start.line && f.range.start.character === value.range.start.character,
  );
  const verdicts = (findingsShownApart ? [] : findingsHere).map(verdictOf);
  if (target.status === 'not-judged') verdicts.push(escapeMarkdown(NOT_JUDGED[target.why]));
  else if (target.status === 'invalid' && !findingsHere.some((f) => f.code === 'pem-invalid')) verdicts.push(`✗ ${escapeMarkdown(target.message)}`);
  if (links) verdicts.push(...valueLinkLines(ctx, value));
  else verdicts.push('_Links to other objects: once the workspace is checked._');
  const sections: string[] = [];
  const rest: string[] = [];
  if (target.status === 'ok') {
    for (const block of target.decoded.blocks) {
      // Private key material is never shown: describeObject gives only public facts of a key.
      if (!block.object) continue;
      const rendered = renderMarkdown(describeObject(block.object, ctx.now, ctx.options.expiryWarningDays));
      sections.push(rendered.markdown);
      if (rendered.rest) rest.push(rendered.rest);
    }
  }
  const title = `**${escapeMarkdown(value.field)}** of ${escapeMarkdown(objectLabel(value.object))}`;
  return { markdown: [joinLines([title, ...verdicts]), ...sections].join('\n\n'), range: value.range, moreFields: rest.join('\n\n') || undefined };
}

function verdictOf(finding: Finding): string {
  const mark = finding.severity === 'error' ? '✗' : finding.severity === 'warning' ? '⚠' : 'ℹ';
  return `${mark} ${escapeMarkdown(finding.message)} (${escapeMarkdown(finding.code)})`;
}

/** "CN=frontend · expires in 341 d" above each certificate value of the file's objects. */
export function objectValueLenses(ctx: RuleContext, file: string): Array<{ range: Range; title: string }> {
  return ctx.objects.inFile(file).flatMap((object) =>
    object.values.flatMap((value) => {
      const certs = ctx.objects.ok(value)?.certs ?? [];
      const cert = certs[0];
      if (!cert) return [];
      const phrase = expiryPhrase(cert, ctx.now)
        .replace(/ days?$/, ' d')
        .replace(/ days? ago$/, ' d ago');
      const name = commonName(cert.subject) ? `CN=${commonName(cert.subject)}` : cert.subject.text || '(empty subject)';
      const more = certs.length > 1 ? ` (+${certs.length - 1} more)` : '';
      return [{ range: value.range, title: displayLabel(`${name}${more} · ${phrase}`) }];
    }),
  );
}

/** How the CLI and the outline label a value: "Secret web/frontend-tls data.tls.crt". */
export function objectValueTitle(value: Parameters<typeof valueLabel>[0]): string {
  return `${objectLabel(value.object)} ${value.field}`;
}
