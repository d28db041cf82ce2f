// The GitOps rows of `npm run bench` (issue 17, "Scale"; issue 19's curve): a cold `kube-pki check`
// of the synthetic repositories of makeGitOps.mjs at 5,000, 20,000 and 50,000 files (time and peak
// RSS: the cost must grow linearly), and the language server on the 20,000-file one. The goals are
// the issues'. Standalone: `node bench/gitops.mjs` (after a build) prints these rows only;
// `--check-only` leaves out the language server.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeGitOps } from './makeGitOps.mjs';

// KUBE_PKI_BENCH_REPO: these rows measured on another build (a checkout of before the change).
const repoRoot = process.env.KUBE_PKI_BENCH_REPO ?? new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const out = (p) => require(join(repoRoot, 'out', p));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = () => process.hrtime.bigint();
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;

/** One cold `kube-pki check` of the repository: wall time and the process's peak RSS. */
function coldCheck(repo) {
  const dir = mkdtempSync(join(tmpdir(), 'kube-pki-bench-rss-'));
  const rssFile = join(dir, 'rss');
  const start = now();
  const run = spawnSync(
    process.execPath,
    ['--require', join(repoRoot, 'bench', 'maxRss.cjs'), join(repoRoot, 'bin/kube-pki.js'), 'check', repo, '--format', 'json'],
    {
      env: { ...process.env, KUBE_PKI_BENCH_RSS_FILE: rssFile },
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  const wallMs = ms(start);
  const rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
  rmSync(dir, { recursive: true, force: true });
  return { wallMs, rssMb, findings: JSON.parse(run.stdout.toString()).diagnostics.length };
}

/** The typing pause of lsp/workspaceChecker.ts (RECHECK_DELAY_MS): a keystroke's re-check starts after it. */
const TYPING_PAUSE_MS = 300;

/**
 * The open Secret as unsaved editor text with the other cluster's tls.key: a key-mismatch of
 * the file's own pair (a single-file finding), published as the first diagnostics.
 */
function mismatchedSecret(secret) {
  const text = readFileSync(secret, 'utf8');
  const isKey = (l) => l.trimStart().startsWith('tls.key:');
  const otherKey = readFileSync(secret.replace('/clusters/prod/', '/clusters/staging/'), 'utf8').split('\n').find(isKey);
  return {
    text,
    mismatched: text
      .split('\n')
      .map((l) => (isKey(l) ? otherKey : l))
      .join('\n'),
  };
}

/**
 * The language server opened on the repository with one Secret open (unsaved text with a key-mismatch):
 * a hover during the first pass, the file's first diagnostics, all of them, keystroke re-checks, memory.
 */
async function serverRun(repo, secret, rounds) {
  const { LspTestClient } = out('test/support/lspClient.js');
  const { pathToUri } = out('server/src/lsp/convert.js');
  const client = new LspTestClient();
  client.connection.onRequest('window/workDoneProgress/create', () => null);
  let indexed;
  const indexedPromise = new Promise((resolve) => (indexed = resolve));
  client.connection.onNotification('$/progress', (p) => p.value?.kind === 'end' && indexed());
  await client.connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToUri(repo),
    capabilities: { window: { workDoneProgress: true } },
    initializationOptions: { trusted: true },
  });
  const uri = pathToUri(secret);
  const { text, mismatched } = mismatchedSecret(secret);
  const hasMismatch = (d) => d.some((x) => x.code === 'key-mismatch');
  const diagnosticsWhere = async (test) => {
    for (;;) if (test(await client.nextDiagnostics(uri, undefined, 600_000))) return;
  };
  const start = now();
  let firstMs;
  const first = diagnosticsWhere(hasMismatch).then(() => (firstMs = ms(start)));
  await client.connection.sendNotification('initialized', {});
  await client.open(uri, mismatched, 'yaml');
  const line = mismatched.split('\n').findIndex((l) => l.includes('tls.crt:'));
  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line, character: 16 } });
  const hoverMs = ms(start);
  await indexedPromise;
  const allMs = ms(start);
  await Promise.race([first, new Promise((r) => setTimeout(r, 2_000))]);
  // Keystrokes: the pair fixed, then broken again; each timed to the publish that reflects it, less the typing pause.
  const keystrokes = [];
  for (let i = 0; i < 2 * rounds; i++) {
    const broken = i % 2 === 1;
    const published = diagnosticsWhere((d) => hasMismatch(d) === broken);
    const t = now();
    await client.change(uri, broken ? mismatched : text, 2 + i);
    await published;
    keystrokes.push(ms(t) - TYPING_PAUSE_MS);
  }
  const status = readFileSync(`/proc/${client.process.pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`${field}:[ \\t]+(\\d+)`).exec(status)[1]);
  await client.shutdown();
  return { hoverMs, hovered: !!hover, firstMs, allMs, keystrokeMs: median(keystrokes), rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** The sizes of the cost curve (issue 19: it must be linear), each with the goal of its check row. */
const SIZES = [
  { files: 5_000, label: '5k' },
  { files: 20_000, label: '20k' },
  { files: 50_000, label: '50k', goal: '50k files: kube-pki check <= 3 s' },
];

/** Adds the GitOps rows through `row(name, value, reference, unit, goal)`: the check at each size, then the server at 20k. */
export async function gitopsRows(row, { root = join(tmpdir(), 'kube-pki-bench-gitops'), rounds = 3, checkOnly = false } = {}) {
  const checkMs = {};
  let twenty;
  for (const { files, label, goal } of SIZES) {
    const start = now();
    // The 20k tree keeps the folder it always had (a cached tree is reused).
    const made = makeGitOps(files === 20_000 ? root : `${root}-${label}`, files);
    if (files === 20_000) twenty = made;
    console.log(`gitops repository: ${made.files} files under ${made.repo} (${ms(start).toFixed(0)} ms)`);
    const checks = Array.from({ length: rounds }, () => coldCheck(made.repo));
    checkMs[label] = median(checks.map((c) => c.wallMs));
    row(`gitops ${label}: cold kube-pki check (s)`, checkMs[label] / 1000, undefined, 's', `${goal ?? ''} (findings: ${checks[0].findings})`.trim());
    row(`gitops ${label}: cold check peak RSS (MB)`, median(checks.map((c) => c.rssMb)), undefined, 'MB', '<= 250 MB');
  }
  row('gitops 50k / 5k cold check time (x)', checkMs['50k'] / checkMs['5k'], undefined, 'x', '<= 11x for 10x the files (linear)');
  if (checkOnly) return;
  const server = await serverRun(twenty.repo, twenty.secret, rounds);
  row(
    'gitops 20k: server hover during the first pass (s)',
    server.hoverMs / 1000,
    undefined,
    's',
    `answered in the first second${server.hovered ? '' : ' (empty)'}`,
  );
  row('gitops 20k: server first diagnostics (s)', (server.firstMs ?? Number.NaN) / 1000, undefined, 's', "<= 1 s (the open Secret's own key-mismatch)");
  row('gitops 20k: server all diagnostics (s)', server.allMs / 1000, checkMs['20k'] / 1000, 's', '<= 5 s');
  row('gitops 20k: server keystroke re-check p50 (ms)', server.keystrokeMs, undefined, 'ms', '<= 100 ms (after the 300 ms typing pause)');
  row('gitops 20k: server RSS after indexing (MB)', server.rssMb, undefined, 'MB', '<= 250 MB');
  row('gitops 20k: server peak RSS (MB)', server.peakMb, undefined, 'MB', '<= 250 MB');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const row = (name, value, reference, unit, goal) =>
    console.log(
      `${name.padEnd(48)} ${value.toFixed(2).padStart(10)} ${unit.padEnd(4)} ${reference === undefined ? '' : `ref ${reference.toFixed(2)}`}   ${goal ?? ''}`,
    );
  await gitopsRows(row, {
    root: process.env.BENCH_GITOPS ?? join(tmpdir(), 'kube-pki-bench-gitops'),
    rounds: Number(process.env.BENCH_ROUNDS ?? 3),
    checkOnly: process.argv.includes('--check-only'),
  });
}
