import { posix } from 'node:path';
import { nodeReferences } from '../check/clusterModel';
import type { Finding, RuleContext } from '../check/ruleContext';
import { pairedKeyRef, referencesAround } from '../fix/reissue';
import { signerFor } from '../fix/signerFor';
import { describeObject } from '../format/describe';
import { codeSpan, escapeMarkdown, hoverSections, joinLines, titleLine } from '../format/markdown';
import { CERTIFICATE_ROLES, FILE_ROLES, KEY_ROLES } from '../kube/flagTable';
import { outsideTree } from '../kube/nodePaths';
import type { Reference } from '../kube/reference';
import type { CertificateInfo } from '../pki/certificate';
import type { PkiObject } from '../pki/decode';
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

type Relative = (path: string) => string;

/** Why the reference's file could not be shown, unless a finding on the reference already says it. */
function targetStatusLines(ctx: RuleContext, ref: Reference, findingsHere: Finding[], relative: Relative): string[] {
  const target = ctx.target(ref);
  // A missing, unmounted or undecodable file is reported on this reference by its rule: the
  // finding's line says it (with its code), so the status line would only repeat it.
  const statusReported = findingsHere.some((f) => f.code === 'file-not-found' || f.code === 'path-not-mounted' || f.code === 'pem-invalid');
  if (target.status === 'missing' && outsideTree(target.path, { boundary: ctx.workspace.boundary, root: ctx.options.root }))
    return [`✗ ${escapeMarkdown(target.path)} is outside the workspace folder: kube-pki does not read files there, so it does not show this one`];
  if (target.status === 'missing' && !statusReported) return [`✗ not found: looked for ${escapeMarkdown(relative(target.path))}`];
  if (target.status === 'not-mounted' && !statusReported) return [`✗ no volumeMount of the container covers ${escapeMarkdown(target.containerPath)}`];
  if (target.status === 'invalid' && !statusReported) return [`✗ ${escapeMarkdown(target.message)}`];
  return [];
}

/** The positive verdict of the trust edge: who signed it, and who verifies it with that CA. */
function chainLines(ctx: RuleContext, ref: Reference, leaf: CertificateInfo | undefined, relative: Relative): string[] {
  if (!leaf || (ref.role !== 'serving-cert' && ref.role !== 'client-cert')) return [];
  const lines: string[] = [];
  const signer = signerFor(ctx, leaf);
  if (signer) lines.push(`✓ signed by ${escapeMarkdown(relative(signer.certPath))}`);
  const verifiers = verifiersOf(ctx, ref);
  if (verifiers.length) lines.push(`Verified by: ${escapeMarkdown(verifiers.join(', '))}`);
  return lines;
}

/** Whether the key and the certificate paired with this reference (--tls-cert-file, --tls-private-key-file) belong together. */
function keyPairLines(ctx: RuleContext, ref: Reference, target: OkTarget): string[] {
  if (target.privateKey && (KEY_ROLES.has(ref.role) || ref.role === 'sa-public-key')) {
    const certRef = referencesAround(ctx, ref).find((r) => r.spec.name === ref.spec.pairedWith && r.file === ref.file && r.owner === ref.owner);
    const cert = certRef ? ctx.ok(certRef)?.certs[0] : undefined;
    if (!cert || !certRef || !target.privateKey.publicKey) return [];
    const verdict = checkKeyPair(cert.publicKey, target.privateKey.publicKey);
    return [`${verdict.ok ? '✓ matches' : '✗ does not match'} ${escapeMarkdown(ctx.describe(certRef))}`];
  }
  const cert = target.certs[0];
  const keyRef = cert && CERTIFICATE_ROLES.has(ref.role) ? pairedKeyRef(referencesAround(ctx, ref), ref) : undefined;
  const key = keyRef ? ctx.ok(keyRef)?.privateKey?.publicKey : undefined;
  if (!cert || !keyRef || !key) return [];
  // A mismatch is the key reference's key-mismatch finding; here it is the certificate's verdict.
  return [`${checkKeyPair(cert.publicKey, key).ok ? '✓ its key matches:' : '✗ its key does not match:'} ${escapeMarkdown(ctx.describe(keyRef))}`];
}

type OkTarget = Extract<ReturnType<RuleContext['target']>, { status: 'ok' }>;

/** The decoded objects of the target: one verdict list (a single object's joins the reference's) and a section each. */
function objectSections(ctx: RuleContext, ref: Reference, target: OkTarget): { verdicts: string[]; sections: string[][]; rest: string[] } {
  const objects: PkiObject[] = CERTIFICATE_ROLES.has(ref.role) ? [...target.certs] : target.certs.slice(0, 1);
  if (target.privateKey && (KEY_ROLES.has(ref.role) || ref.role === 'sa-public-key')) objects.push(target.privateKey);
  const verdicts: string[] = [];
  const sections: string[][] = [];
  const rest: string[] = [];
  for (const object of objects) {
    const description = describeObject(object, ctx.now, ctx.options.expiryWarningDays);
    const parts = hoverSections(description);
    if (objects.length === 1) verdicts.push(...parts.verdicts);
    sections.push([titleLine(description), ...(objects.length === 1 ? [] : parts.verdicts), ...parts.essentials]);
    if (parts.rest.length) rest.push(joinLines(objects.length === 1 ? parts.rest : [titleLine(description), ...parts.rest]));
  }
  for (const key of target.publicKeys) sections.push([`Public key ${escapeMarkdown(key.description)}, SHA-256 ${codeSpan(key.spkiSha256)}`]);
  return { verdicts, sections, rest };
}

/**
 * The hover of a reference, its answer first (VS Code caps a hover's height): the reference's findings,
 * the chain, the key pair and the objects' own verdicts; then where the path went and the essential
 * fields; the other fields are `moreFields` (the preview of `previewFile` shows them all).
 * `findingsShownApart`: the editor shows the reference's diagnostics above the hover (VS Code), so they are said once, there.
 */
export function hoverReference(ctx: RuleContext, findings: Finding[], file: string, position: Position, findingsShownApart = false): EngineHover | undefined {
  const ref = referenceAt(ctx, file, position);
  if (!ref || !FILE_ROLES.has(ref.role)) return undefined;
  const relative = (p: string) => posix.relative(ctx.workspace.boundary, p) || p;
  const findingsHere = findings.filter((f) => f.file === file && contains(f.range, ref.range.start));
  const verdicts = [
    ...targetStatusLines(ctx, ref, findingsHere, relative),
    ...(findingsShownApart ? [] : findingsHere).map(
      (finding) =>
        `${finding.severity === 'error' ? '✗' : finding.severity === 'warning' ? '⚠' : 'ℹ'} ${escapeMarkdown(finding.message)} (${escapeMarkdown(finding.code)})`,
    ),
  ];
  const target = ctx.target(ref);
  const resolved = ref.inline ? undefined : ctx.resolvedPath(ref);
  const where = resolved?.found ? [`File: ${escapeMarkdown(ref.value)} → ${escapeMarkdown(relative(resolved.path))}`] : [];
  let sections = [where];
  let rest: string[] = [];
  if (target.status === 'ok') {
    const objects = objectSections(ctx, ref, target);
    verdicts.push(...chainLines(ctx, ref, target.certs[0], relative), ...keyPairLines(ctx, ref, target), ...objects.verdicts);
    // Where the path went, under the first object's title.
    if (objects.sections.length) sections = [[objects.sections[0][0], ...where, ...objects.sections[0].slice(1)], ...objects.sections.slice(1)];
    rest = objects.rest;
  }
  const title = `**${escapeMarkdown(ref.name)}** · ${escapeMarkdown(ref.spec.description)} (${escapeMarkdown(ref.component)})`;
  return {
    markdown: [[title, ...verdicts], ...sections]
      .filter((lines) => lines.length > 0)
      .map(joinLines)
      .join('\n\n'),
    range: ref.range,
    moreFields: rest.join('\n\n') || undefined,
    previewFile: target.status === 'ok' && !ref.inline ? target.path : undefined,
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
