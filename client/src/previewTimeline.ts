// The preview's validity timeline as inline SVG: the certificate's whole lifetime, the windows of the
// workspace CAs above it on the same scale (so a leaf outliving its CA shows), a "now" marker and the
// days left. Positions are numbers computed here; every text is escaped; no style attribute, no URL.
import type { PreviewBlock } from '../../server/src/engine/features/previewData';
import { daysLeftText } from './pkiTreeText';

type Escape = (value: unknown) => string;

interface Window {
  label: string;
  start: number;
  end: number;
  kind: 'ca' | 'cert';
}

const DAY = 86_400_000;
const ROW = 22;
const TOP = 16;

const day = (t: number) => new Date(t).toISOString().slice(0, 10);
const pct = (value: number) => `${value.toFixed(2)}%`;

function windowsOf(block: PreviewBlock): Window[] | undefined {
  const start = Date.parse(block.notBefore ?? '');
  const end = Date.parse(block.notAfter ?? '');
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) return undefined;
  // Root at the top, the certificate last: read top-down as the chain of trust.
  const cas = [...(block.caChain ?? [])].reverse().flatMap((ca): Window[] => {
    const s = Date.parse(ca.notBefore);
    const e = Date.parse(ca.notAfter);
    return Number.isFinite(s) && Number.isFinite(e) ? [{ label: ca.role, start: s, end: e, kind: 'ca' }] : [];
  });
  return [...cas, { label: block.role ?? 'this certificate', start, end, kind: 'cert' }];
}

/**
 * The CA above that ends first, when it ends a day or more before the certificate: clients stop trusting the
 * leaf then. A leaf issued with its CA often ends a second after it (kubeadm's example): no news.
 */
function outlived(block: PreviewBlock, end: number): { role: string; at: number } | undefined {
  const ends = (block.caChain ?? []).map((ca) => ({ role: ca.role, at: Date.parse(ca.notAfter) })).filter((ca) => Number.isFinite(ca.at) && end - ca.at >= DAY);
  return ends.sort((a, b) => a.at - b.at)[0];
}

/** Position of `at` in the scale, clamped to the drawing, in percent. */
const scaleOf = (from: number, to: number) => (at: number) => Math.min(100, Math.max(0, ((at - from) / (to - from)) * 100));

export function renderTimeline(block: PreviewBlock, nowIso: string, level: string, escape: Escape): string {
  const windows = windowsOf(block);
  const now = Date.parse(nowIso);
  if (!windows || !Number.isFinite(now)) return '';
  const from = Math.min(now, ...windows.map((w) => w.start));
  const to = Math.max(now, ...windows.map((w) => w.end), from + DAY);
  const x = scaleOf(from, to);
  const cert = windows[windows.length - 1];
  const late = outlived(block, cert.end);
  const height = TOP + windows.length * ROW + 4;
  const rows = windows.map((w, i) => {
    const y = TOP + i * ROW;
    const rect = `<rect class="win ${w.kind}" x="${pct(x(w.start))}" y="${y}" width="${pct(Math.max(0.3, x(w.end) - x(w.start)))}" height="${ROW - 6}" rx="3"></rect>`;
    const over =
      w.kind === 'cert' && late
        ? `<rect class="win outlives" x="${pct(x(late.at))}" y="${y}" width="${pct(Math.max(0.3, x(w.end) - x(late.at)))}" height="${ROW - 6}" rx="3"></rect>`
        : '';
    const label = `<text class="win-label" x="${pct(Math.min(x(w.start), 70))}" dx="4" y="${y + ROW - 10}">${escape(`${w.label} · ${day(w.start)} → ${day(w.end)}`)}</text>`;
    return rect + over + label;
  });
  const nowX = pct(x(now));
  const marker = `<line class="now" x1="${nowX}" x2="${nowX}" y1="10" y2="${height}"></line><text class="now-label" x="${nowX}" y="9" text-anchor="middle">now</text>`;
  const aria = escape(`validity of ${cert.label}${windows.length > 1 ? ' and its CAs' : ''}, now at ${x(now).toFixed(0)}%`);
  const svg = `<svg class="chart" role="img" aria-label="${aria}" width="100%" height="${height}" xmlns="http://www.w3.org/2000/svg">${rows.join('')}${marker}</svg>`;
  const days = typeof block.daysLeft === 'number' ? `<span class="days">${escape(daysLeftText(block.daysLeft))}</span>` : '';
  const warning = late
    ? `<p class="outlives-text"><span class="marker">⚠ Warning</span> outlives its CA ${escape(late.role)} by ${Math.round((cert.end - late.at) / DAY)} days: it is not trusted after ${escape(day(late.at))}</p>`
    : '';
  return `<div class="timeline ${level}">${svg}<div class="ends"><span>${escape(block.notBefore ?? '?')}</span>${days}<span>${escape(block.notAfter ?? '?')}</span></div>${warning}</div>`;
}

export const TIMELINE_STYLE = `
.chart { display: block; overflow: visible; margin-top: 4px; }
.win { fill: var(--vscode-charts-green); fill-opacity: 0.45; stroke: var(--vscode-charts-green); }
.win.ca { fill: var(--vscode-charts-blue); stroke: var(--vscode-charts-blue); fill-opacity: 0.3; }
.warning .win.cert { fill: var(--vscode-editorWarning-foreground); stroke: var(--vscode-editorWarning-foreground); }
.error .win.cert { fill: var(--vscode-errorForeground); stroke: var(--vscode-errorForeground); }
.win.outlives { fill: var(--vscode-errorForeground); stroke: var(--vscode-errorForeground); fill-opacity: 0.6; }
.win-label { fill: var(--vscode-editor-foreground); font-size: 11px; font-family: var(--vscode-editor-font-family); }
.now { stroke: var(--vscode-editor-foreground); stroke-width: 2; }
.now-label { fill: var(--vscode-editor-foreground); font-size: 10px; font-weight: 600; }
.days { font-weight: 600; }
.outlives-text .marker { color: var(--vscode-editorWarning-foreground); }
`;
