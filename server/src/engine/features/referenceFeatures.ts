import { posix } from 'node:path';
import { nodeReferences } from '../check/clusterModel';
import type { Finding, RuleContext } from '../check/ruleContext';
import { referencesAround } from '../fix/reissue';
import { signerFor } from '../fix/signerFor';
import { describeObject } from '../format/describe';
import { escapeMarkdown, renderMarkdown } from '../format/markdown';
import { CERTIFICATE_ROLES, FILE_ROLES, KEY_ROLES } from '../kube/flagTable';
import { outsideTree } from '../kube/nodePaths';
import type { Reference } from '../kube/reference';
import { commonName } from '../pki/distinguishedName';
import { displayLabel } from '../text/displayText';
import type { Position, Range } from '../text/lineIndex';
import { checkKeyPair } from '../verify/keyPair';
import { expiryPhrase } from '../verify/validity';
import type { EngineHover } from './types';
import { verifiersOf } from './verifiers';

/**
 * Editor features on config files (manifests, kubeconfigs, kubelet configs),
 * read from the checker's resolved model: the same references, targets and
 * findings the Problems panel shows, so hover and diagnostics never disagree.
 */

function contains(range: Range, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

export function referencesIn(ctx: RuleContext, file: string): Reference[] {
  return ctx.nodes.flatMap(nodeReferences).filter((r) => r.file === file);
}

export function referenceAt(ctx: RuleContext, file: string, position: Position): Reference | undefined {
  return referencesIn(ctx, file).find((r) => contains(r.range, position));
}

/** The hover of a reference: where the path went, the decoded file, and this reference's verdicts. */
export function hoverReference(ctx: RuleContext, findings: Finding[], file: string, position: Position): EngineHover | undefined {
  const ref = referenceAt(ctx, file, position);
  if (!ref || !FILE_ROLES.has(ref.role)) return undefined;
  const lines = [`**${escapeMarkdown(ref.name)}** · ${escapeMarkdown(ref.spec.description)} (${escapeMarkdown(ref.component)})`, ''];
  const target = ctx.target(ref);
  const relative = (p: string) => posix.relative(ctx.workspace.boundary, p) || p;
  if (!ref.inline) {
    const resolved = ctx.resolvedPath(ref);
    if (resolved?.found) lines.push(`${escapeMarkdown(ref.value)} → ${escapeMarkdown(relative(resolved.path))}`, '');
  }
  const findingsHere = findings.filter((f) => f.file === file && contains(f.range, ref.range.start));
  // A missing, unmounted or undecodable file is reported on this reference by its rule: the
  // finding's line below says it (with its code), so the status line would only repeat it.
  const statusReported = findingsHere.some((f) => f.code === 'file-not-found' || f.code === 'path-not-mounted' || f.code === 'pem-invalid');
  if (target.status === 'missing' && outsideTree(target.path, { boundary: ctx.workspace.boundary, root: ctx.options.root })) {
    lines.push(`✗ ${escapeMarkdown(target.path)} is outside the workspace folder: kube-pki does not read files there, so it does not show this one`);
  } else if (target.status === 'missing' && !statusReported) lines.push(`✗ not found: looked for ${escapeMarkdown(relative(target.path))}`);
  else if (target.status === 'not-mounted' && !statusReported) lines.push(`✗ no volumeMount of the container covers ${escapeMarkdown(target.containerPath)}`);
  else if (target.status === 'invalid' && !statusReported) lines.push(`✗ ${escapeMarkdown(target.message)}`);
  else if (target.status === 'ok') {
    const certs = CERTIFICATE_ROLES.has(ref.role) ? target.certs : target.certs.slice(0, 1);
    for (const cert of certs) lines.push(renderMarkdown(describeObject(cert, ctx.now, ctx.options.expiryWarningDays)), '');
    if (target.privateKey && (KEY_ROLES.has(ref.role) || ref.role === 'sa-public-key')) {
      lines.push(renderMarkdown(describeObject(target.privateKey, ctx.now)), '');
      const certRef = referencesAround(ctx, ref).find((r) => r.spec.name === ref.spec.pairedWith && r.file === ref.file && r.owner === ref.owner);
      const cert = certRef ? ctx.ok(certRef)?.certs[0] : undefined;
      if (cert && certRef) {
        const verdict = checkKeyPair(cert.publicKey, target.privateKey.publicKey);
        lines.push(`${verdict.ok ? '✓ matches' : '✗ does not match'} ${escapeMarkdown(ctx.describe(certRef))}`);
      }
    }
    for (const key of target.publicKeys) lines.push(`Public key ${escapeMarkdown(key.description)}, SHA-256 ${escapeMarkdown(key.spkiSha256)}`);
    // The positive verdict of the trust edge: who signed it, and whose CA flags verify it with that CA.
    const leaf = target.certs[0];
    if (leaf && (ref.role === 'serving-cert' || ref.role === 'client-cert')) {
      const signer = signerFor(ctx, leaf);
      if (signer) lines.push(`✓ signed by ${escapeMarkdown(relative(signer.certPath))}`);
      const verifiers = verifiersOf(ctx, ref);
      if (verifiers.length) lines.push(`Verified by: ${escapeMarkdown(verifiers.join(', '))}`);
    }
  }
  for (const finding of findingsHere) {
    lines.push(
      `${finding.severity === 'error' ? '✗' : finding.severity === 'warning' ? '⚠' : 'ℹ'} ${escapeMarkdown(finding.message)} (${escapeMarkdown(finding.code)})`,
    );
  }
  return {
    markdown: lines
      .join('  \n')
      .replace(/(  \n){3,}/g, '  \n\n')
      .trim(),
    range: ref.range,
  };
}

/** Every file reference that resolved: a link (and a definition) to the file. */
export function referenceLinks(ctx: RuleContext, file: string): Array<{ range: Range; target: string }> {
  return referencesIn(ctx, file).flatMap((ref) => {
    const resolved = ref.inline ? undefined : ctx.resolvedPath(ref);
    return resolved?.found ? [{ range: ref.range, target: resolved.path }] : [];
  });
}

/** "CN=kube-apiserver · expires in 341 d" above each certificate reference. */
export function referenceLenses(ctx: RuleContext, file: string): Array<{ range: Range; title: string }> {
  return referencesIn(ctx, file).flatMap((ref) => {
    if (!CERTIFICATE_ROLES.has(ref.role)) return [];
    const cert = ctx.ok(ref)?.certs[0];
    if (!cert) return [];
    const phrase = expiryPhrase(cert, ctx.now)
      .replace(/ days?$/, ' d')
      .replace(/ days? ago$/, ' d ago');
    const name = commonName(cert.subject) ? `CN=${commonName(cert.subject)}` : cert.subject.text || '(empty subject)';
    const more = ref.role === 'client-ca' || ref.role === 'server-ca' ? (ctx.ok(ref)!.certs.length > 1 ? ` (+${ctx.ok(ref)!.certs.length - 1} more)` : '') : '';
    return [{ range: ref.range, title: displayLabel(`${name}${more} · ${phrase}`) }];
  });
}
