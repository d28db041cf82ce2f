// Renders the certificate preview panel from the server's PreviewData. Pure string building (no
// `vscode`, no DOM) so it can be unit-tested; only types come from the server, so the client bundle
// carries no engine code. Every string in PreviewData is untrusted (it comes from certificate
// fields): all of it goes through escapeHtml, and none of it goes into the script.
import type { PreviewBlock, PreviewData, PreviewLink } from '../../server/src/engine/features/previewData';
import { codePointMarker, displayText } from '../../server/src/engine/text/displayText';
import { renderTimeline as renderChart, TIMELINE_STYLE } from './previewTimeline';

export interface PreviewHtmlOptions {
  /** Fresh random value per render; the only way a <script> or <style> is allowed to run. */
  nonce: string;
  /** `webview.cspSource`. */
  cspSource: string;
  /** The heading: the path as the user knows it (workspace-relative); the absolute path when absent. */
  displayPath?: string;
}

type Level = PreviewBlock['findings'][number]['level'];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/**
 * The one escaper, for text and attribute values alike. Bidi controls (which could make a subject
 * read differently from what it is) are replaced by a visible code point marker.
 */
export function escapeHtml(value: unknown): string {
  return displayText(String(value ?? ''), codePointMarker).replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

const MARKERS: Record<Level, string> = { ok: '✓ OK', info: 'ℹ Info', warning: '⚠ Warning', error: '✗ Error' };
const LEVELS: Level[] = ['ok', 'info', 'warning', 'error'];
/** Levels come from JSON: only a known level may become a class name. */
const levelOf = (level: string): Level => (LEVELS.includes(level as Level) ? (level as Level) : 'info');
const EXPIRY = /^(expires|EXPIRED|not valid for|validity unreadable)/;

function renderFields(block: PreviewBlock): string {
  if (!block.fields.length) return '';
  // Fingerprints get their own rows with Copy buttons below.
  const rows = block.fields
    .filter((field) => !/fingerprint$/i.test(field.label))
    .map((field) => {
      const value = Array.isArray(field.value) ? field.value.map((v) => `<div>${breakable(v)}</div>`).join('') : breakable(field.value);
      return `<tr><th scope="row">${escapeHtml(field.label)}</th><td>${value}</td></tr>`;
    });
  return `<table class="fields"><tbody>${rows.join('')}</tbody></table>`;
}

function renderFindings(block: PreviewBlock): string {
  // A certificate's expiry phrase is already shown under its timeline.
  const findings = block.kind === 'certificate' ? block.findings.filter((f) => !EXPIRY.test(f.text)) : block.findings;
  if (!findings.length) return '';
  const items = findings.map((f) => {
    const level = levelOf(f.level);
    return `<li class="finding ${level}"><span class="marker">${MARKERS[level]}</span> ${escapeHtml(f.text)}</li>`;
  });
  return `<ul class="findings">${items.join('')}</ul>`;
}

/** Escaped text that wraps at label and group boundaries: after each '.', ':', '/' and ',' (names, SANs, hex). */
export function breakable(value: unknown): string {
  return escapeHtml(value).replace(/([.:/,])/g, '$1<wbr>');
}

function renderTimeline(block: PreviewBlock, now: string): string {
  if (block.kind !== 'certificate') return '';
  const expiry = block.findings.find((f) => EXPIRY.test(f.text));
  const level = expiry ? levelOf(expiry.level) : 'info';
  const chart = renderChart(block, now, level, escapeHtml);
  const phrase = expiry ? `<p class="expiry"><span class="marker">${MARKERS[level]}</span> ${escapeHtml(expiry.text)}</p>` : '';
  return chart ? chart.replace(/<\/div>$/, `${phrase}</div>`) : `<div class="timeline ${level}">${phrase}</div>`;
}

/** Every place the preview links to, in render order: the webview posts an index into this list, never a path. */
export function openTargets(data: PreviewData): Array<{ file: string; line: number }> {
  return data.blocks.flatMap((b) => [...(b.caChain ?? []), ...(b.references ?? [])].map((t) => ({ file: t.file, line: t.line })));
}

const baseName = (file: string) => file.split('/').pop() ?? file;

/** The workspace's CAs above a certificate and the flags naming it, as links that open the file at the line. */
function renderPlacement(block: PreviewBlock, next: () => number): string {
  const link = (file: string, line: number, text: string) =>
    `<a href="#" class="open" data-open="${next()}" title="${escapeHtml(file)}:${Number(line) + 1}">${breakable(text)}</a>`;
  const chain = (block.caChain ?? []).map((ca, i) => {
    const below = i === 0 ? (block.role ?? 'this certificate') : block.caChain![i - 1].role;
    const verdict = ca.verified ? '<span class="verdict ok">✓ verified</span>' : '<span class="verdict error">✗ not verified</span>';
    const reason = ca.reason ? `<div class="reason">${escapeHtml(ca.reason)}</div>` : '';
    return `<li>${escapeHtml(below)} <span class="arrow">→ issued by →</span> ${link(ca.file, ca.line, `${ca.role} (${baseName(ca.file)})`)} ${verdict}${reason}</li>`;
  });
  const refs = (block.references ?? []).map(
    (r) => `<li>${link(r.file, r.line, `${baseName(r.file)}:${Number(r.line) + 1}`)} <code>${escapeHtml(r.name)}</code> of ${escapeHtml(r.component)}</li>`,
  );
  return [
    chain.length ? `<div class="placement"><h3>Chain in the workspace</h3><ul>${chain.join('')}</ul></div>` : '',
    refs.length ? `<div class="placement"><h3>Referenced by</h3><ul>${refs.join('')}</ul></div>` : '',
  ].join('');
}

function renderFingerprints(block: PreviewBlock): string {
  const prints = [
    ['SHA-256', block.sha256],
    ['SHA-1', block.sha1],
  ].filter((p): p is [string, string] => typeof p[1] === 'string' && p[1] !== '');
  if (!prints.length) return '';
  const rows = prints.map(
    ([name, value]) =>
      `<div class="print"><span class="name">${name}</span> <code>${breakable(value)}</code> <button type="button" class="copy" data-copy="${escapeHtml(value)}">Copy</button></div>`,
  );
  return `<div class="prints">${rows.join('')}</div>`;
}

function renderBlock(block: PreviewBlock, now: string, next: () => number): string {
  const badges = [block.isCA ? 'CA' : '', block.selfSigned ? 'self-signed' : ''].filter(Boolean).map((b) => `<span class="badge">${b}</span>`);
  return `<section class="card${block.kind === 'invalid' ? ' invalid' : ''}" id="block-${Number(block.index) | 0}">
<h2>${escapeHtml(block.title)} ${badges.join(' ')}</h2>
<p class="label">${block.role ? `<span class="role">${escapeHtml(block.role)}</span> · ` : ''}${escapeHtml(block.label)}${typeof block.line === 'number' ? ` · line ${Number(block.line) + 1}` : ''}</p>
${renderTimeline(block, now)}${renderFindings(block)}${renderPlacement(block, next)}${renderFields(block)}${renderFingerprints(block)}
</section>`;
}

function renderChain(data: PreviewData): string {
  if (!data.chain.length) return '';
  const nameOf = (index: number) => {
    const block = data.blocks.find((b) => b.index === index);
    return block ? block.subject || block.title : `block ${index}`;
  };
  const items = data.chain.map((link: PreviewLink) => {
    const verdict = link.verified ? '<span class="verdict ok">✓ verified</span>' : '<span class="verdict error">✗ not verified</span>';
    const reason = link.reason ? `<div class="reason">${escapeHtml(link.reason)}</div>` : '';
    return `<li>${escapeHtml(nameOf(link.from))} <span class="arrow">→ issued by →</span> ${escapeHtml(nameOf(link.to))} ${verdict}${reason}</li>`;
  });
  return `<section class="chain"><h2>Chain</h2><ul>${items.join('')}</ul></section>`;
}

const STYLE = `
body { font-family: var(--vscode-font-family); color: var(--vscode-editor-foreground); background: var(--vscode-editor-background); padding: 0 16px 16px; line-height: 1.4; }
header h1 { font-size: 1.2em; word-break: break-all; margin-bottom: 0.2em; }
header .meta { opacity: 0.8; margin-top: 0; }
.card, .chain, .error-box { border: 1px solid var(--vscode-contrastBorder, currentColor); border-radius: 4px; padding: 8px 12px; margin: 12px 0; }
.card.invalid, .error-box { border-color: var(--vscode-errorForeground); }
h2 { font-size: 1.05em; margin: 0.3em 0; word-break: break-word; }
.label { margin: 0 0 0.5em; opacity: 0.8; font-family: var(--vscode-editor-font-family); }
.badge { font-size: 0.8em; border: 1px solid currentColor; border-radius: 3px; padding: 0 4px; margin-left: 4px; }
.fields { border-collapse: collapse; width: 100%; }
.fields th { text-align: left; vertical-align: top; padding: 2px 12px 2px 0; white-space: nowrap; font-weight: 600; }
.fields td { font-family: var(--vscode-editor-font-family); overflow-wrap: anywhere; padding: 2px 0; }
.findings, .chain ul { list-style: none; padding: 0; margin: 0.5em 0; }
.marker, .verdict { font-weight: 600; }
.ok .marker, .verdict.ok { color: var(--vscode-charts-green); }
.info .marker { color: var(--vscode-textLink-foreground); }
.warning .marker { color: var(--vscode-editorWarning-foreground); }
.error .marker, .verdict.error, .error-box .marker { color: var(--vscode-errorForeground); }
.timeline { margin: 0.5em 0; }
.ends { display: flex; justify-content: space-between; font-size: 0.85em; opacity: 0.8; font-family: var(--vscode-editor-font-family); }
.expiry { margin: 0.2em 0; }
.prints code { font-family: var(--vscode-editor-font-family); overflow-wrap: anywhere; }
.placement h3 { font-size: 0.95em; margin: 0.6em 0 0.2em; }
.placement ul { list-style: none; padding: 0; margin: 0; }
.placement li { margin: 0.2em 0; overflow-wrap: anywhere; }
a.open { color: var(--vscode-textLink-foreground); }
.role { font-weight: 600; font-family: var(--vscode-font-family); }
.print { margin: 0.3em 0; }
.print .name { font-weight: 600; }
button.copy { font: inherit; font-size: 0.85em; color: var(--vscode-textLink-foreground); background: transparent; border: 1px solid var(--vscode-contrastBorder, currentColor); border-radius: 3px; cursor: pointer; }
.chain li { margin: 0.3em 0; word-break: break-word; }
.reason { opacity: 0.8; font-size: 0.9em; margin-left: 1em; }
`;

// Reads fingerprints from data-copy attributes and link indexes from data-open only: no data is ever written
// into the script. A link posts its index; the extension opens its own list's entry, never a path from here.
const SCRIPT = `
const vscodeApi = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
for (const link of document.querySelectorAll('a[data-open]')) {
  link.addEventListener('click', (event) => {
    event.preventDefault();
    vscodeApi?.postMessage({ type: 'open', index: Number(link.dataset.open) });
  });
}
for (const button of document.querySelectorAll('button[data-copy]')) {
  button.addEventListener('click', () => {
    navigator.clipboard.writeText(button.dataset.copy || '').then(
      () => { button.textContent = 'Copied'; setTimeout(() => { button.textContent = 'Copy'; }, 1500); },
      () => { button.textContent = 'Copy failed'; },
    );
  });
}
`;

export function renderPreviewHtml(data: PreviewData, options: PreviewHtmlOptions): string {
  // Both come from our own code, not the data; they go into the policy verbatim, so insist on their shape.
  if (!/^[A-Za-z0-9_+/=-]{16,}$/.test(options.nonce)) throw new Error('renderPreviewHtml: the nonce must be 16+ base64 characters');
  if (!/^[^"`<>&;\r\n]+$/.test(options.cspSource)) throw new Error('renderPreviewHtml: unexpected cspSource');
  const nonce = escapeHtml(options.nonce);
  const csp = `default-src 'none'; style-src ${options.cspSource} 'nonce-${options.nonce}'; script-src 'nonce-${options.nonce}'; img-src ${options.cspSource} data:;`;
  let links = 0;
  const next = () => links++;
  const format = data.format === 'none' ? '' : data.format.toUpperCase();
  const count = `${data.blocks.length} block${data.blocks.length === 1 ? '' : 's'}`;
  const error = data.error ? `<div class="error-box" role="alert"><span class="marker">✗ Error</span> ${escapeHtml(data.error)}</div>` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Preview ${escapeHtml(options.displayPath ?? data.path)}</title>
<style nonce="${nonce}">${STYLE}${TIMELINE_STYLE}</style>
</head>
<body>
<header><h1 title="${escapeHtml(data.path)}">${escapeHtml(options.displayPath ?? data.path)}</h1><p class="meta">${escapeHtml([format, count].filter(Boolean).join(' · '))}</p></header>
${error}
${data.blocks.map((block) => renderBlock(block, data.now, next)).join('\n')}
${renderChain(data)}
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}
