// The GitOps rows of `npm run bench` (issue 17, "Scale"): a cold `kube-pki check` and the language
// server on the synthetic 20,000-file repository of makeGitOps.mjs. Today's figures are the
// "before" of the scale work; the goals are the issue's. Standalone: `node bench/gitops.mjs`
// (after a build) prints these rows only.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeGitOps } from './makeGitOps.mjs';

const repoRoot = new URL('..', import.meta.url).pathname;
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

/** The language server opened on the repository with one Secret open: its first diagnostics, all of them, its memory. */
async function serverRun(repo, secret) {
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
  const start = now();
  let firstMs;
  const first = client.nextDiagnostics(uri, undefined, 600_000).then(() => (firstMs = ms(start)));
  await client.connection.sendNotification('initialized', {});
  await client.open(uri, readFileSync(secret, 'utf8'), 'yaml');
  await indexedPromise;
  const allMs = ms(start);
  // A file with no findings may get no publish at all: then its first diagnostics are the whole check's.
  await Promise.race([first, new Promise((r) => setTimeout(r, 2_000))]);
  const status = readFileSync(`/proc/${client.process.pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`${field}:[ \\t]+(\\d+)`).exec(status)[1]);
  await client.shutdown();
  return { firstMs: firstMs ?? allMs, published: firstMs !== undefined, allMs, rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Adds the GitOps rows through `row(name, value, reference, unit, goal)`. */
export async function gitopsRows(row, { root = join(tmpdir(), 'kube-pki-bench-gitops'), rounds = 3 } = {}) {
  const start = now();
  const { repo, secret, files } = makeGitOps(root);
  console.log(`gitops repository: ${files} files under ${repo} (${ms(start).toFixed(0)} ms)`);
  const checks = Array.from({ length: rounds }, () => coldCheck(repo));
  const checkMs = median(checks.map((c) => c.wallMs));
  row('gitops 20k: cold kube-pki check (s)', checkMs / 1000, undefined, 's', `(findings: ${checks[0].findings})`);
  row('gitops 20k: cold check peak RSS (MB)', median(checks.map((c) => c.rssMb)), undefined, 'MB', '<= 250 MB');
  const server = await serverRun(repo, secret);
  row('gitops 20k: server first diagnostics (s)', server.firstMs / 1000, undefined, 's', `<= 1 s${server.published ? '' : ' (none published: = all)'}`);
  row('gitops 20k: server all diagnostics (s)', server.allMs / 1000, checkMs / 1000, 's', '<= 5 s');
  row('gitops 20k: server RSS after indexing (MB)', server.rssMb, undefined, 'MB', '<= 250 MB');
  row('gitops 20k: server peak RSS (MB)', server.peakMb, undefined, 'MB', '<= 250 MB');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const row = (name, value, reference, unit, goal) =>
    console.log(
      `${name.padEnd(48)} ${value.toFixed(2).padStart(10)} ${unit.padEnd(4)} ${reference === undefined ? '' : `ref ${reference.toFixed(2)}`}   ${goal ?? ''}`,
    );
  await gitopsRows(row, { root: process.env.BENCH_GITOPS ?? join(tmpdir(), 'kube-pki-bench-gitops'), rounds: Number(process.env.BENCH_ROUNDS ?? 3) });
}
