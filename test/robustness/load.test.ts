import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, Hover, MarkupContent } from 'vscode-languageserver/node';
import { CancellationTokenSource, ResponseError } from 'vscode-languageserver/node';
import { pathToUri, uriToPath } from '../../server/src/lsp/convert';
import { runCli } from '../support/cli';
import { LspTestClient } from '../support/lspClient';
import { missingPeer } from '../support/openssl';
import { describeNeeding, REPO_ROOT } from '../support/paths';

const skip = missingPeer('openssl');
const CLUSTERS = 25;
const MANIFEST = 'clusters/c0/cp-0/etc/kubernetes/manifests/kube-apiserver.yaml';
const PEM = 'clusters/c3/cp-3/etc/kubernetes/pki/apiserver.crt';
const MIB = 1048576;

function filesUnder(dir: string, test: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), test) : test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The server's resident memory, sampled every 100 ms: the peak per phase, and the last value. */
class RssSampler {
  private readonly timer: NodeJS.Timeout;
  private phase = 'indexing';
  readonly peaks = new Map<string, number>();
  last = 0;
  constructor(private readonly pid: number) {
    this.timer = setInterval(() => this.sample(), 100);
  }
  sample(): number {
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'))?.[1] ?? 0);
    this.last = kb * 1024;
    this.peaks.set(this.phase, Math.max(this.peaks.get(this.phase) ?? 0, this.last));
    return this.last;
  }
  enter(phase: string): void {
    this.sample();
    this.phase = phase;
  }
  stop(): void {
    clearInterval(this.timer);
  }
  get peak(): number {
    return Math.max(...this.peaks.values());
  }
}

const elapsed = (start: number) => Date.now() - start;
const hoverText = (hover: Hover | null) => (hover?.contents as MarkupContent | undefined)?.value ?? '';

/** code|file|range|severity|message of every diagnostic, with files relative to the tree: what the Problems panel lists. */
function fromServer(tree: string, published: Map<string, Diagnostic[]>): string[] {
  const severity = ['', 'error', 'warning', 'information', 'hint'];
  return [...published]
    .flatMap(([uri, diagnostics]) =>
      diagnostics.map(
        (d) =>
          `${d.code}|${relative(tree, uriToPath(uri)!)}|${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1}|${severity[d.severity!]}|${d.message}`,
      ),
    )
    .sort();
}

function fromCli(tree: string): string[] {
  const run = runCli(['check', tree, '--format', 'json']);
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  const json = JSON.parse(run.stdout) as {
    diagnostics: Array<{ file: string; line: number; column: number; endLine: number; endColumn: number; severity: string; code: string; message: string }>;
  };
  return json.diagnostics.map((d) => `${d.code}|${d.file}|${d.line}:${d.column}-${d.endLine}:${d.endColumn}|${d.severity}|${d.message}`).sort();
}

describeNeeding('under load: a 100-node tree, every certificate rewritten at once, 500 edits a second', skip, () => {
  let tree = '';
  before(async () => {
    tree = mkdtempSync(join(tmpdir(), 'kube-pki-load-'));
    // The benchmark's generator: 25 kubeadm control planes and 75 workers.
    const { makeTree } = (await import(pathToFileURL(join(REPO_ROOT, 'bench', 'makeTree.mjs')).href)) as { makeTree(root: string): Promise<void> };
    await makeTree(tree);
  });
  after(() => rmSync(tree, { recursive: true, force: true }));

  it('stays responsive and bounded in memory, honours cancellation, and ends with the diagnostics of a cold check', async () => {
    const certFiles = filesUnder(join(tree, 'clusters'), (n) => n.endsWith('.crt') || n.endsWith('.pem'));
    const yamlDocuments = filesUnder(join(tree, 'clusters'), (n) => /\.(ya?ml|conf)$/.test(n)).length;
    const client = new LspTestClient();
    const rss = new RssSampler(client.process.pid!);
    const manifestUri = pathToUri(join(tree, MANIFEST));
    const manifestText = readFileSync(join(tree, MANIFEST), 'utf8');
    const manifestLines = manifestText.split('\n');
    const certLine = manifestLines.findIndex((l) => l.includes('--tls-cert-file='));
    const pemUri = pathToUri(join(tree, PEM));
    const hoverManifest = () =>
      client.request<Hover>('textDocument/hover', { textDocument: { uri: manifestUri }, position: { line: certLine, character: 30 } });
    const hoverPem = () => client.request<Hover>('textDocument/hover', { textDocument: { uri: pemUri }, position: { line: 1, character: 5 } });
    try {
      // 1. Indexing: the server answers while its first check of the tree runs.
      const started = Date.now();
      await client.initialize(pathToUri(tree), { trusted: true });
      await client.open(manifestUri, manifestText, 'yaml');
      await client.open(pemUri, readFileSync(join(tree, PEM), 'utf8'), 'pem');
      const pemHover = hoverPem();
      const manifestHover = hoverManifest();
      // Cancelled mid-way (they wait for the check): RequestCancelled at once, while the check goes on.
      const cancellations = ['textDocument/hover', 'textDocument/codeLens', 'textDocument/documentLink'].map((method) => {
        const source = new CancellationTokenSource();
        const sent = Date.now();
        const reply = client.connection
          .sendRequest(method, { textDocument: { uri: manifestUri }, position: { line: certLine, character: 30 } }, source.token)
          .then(
            () => ({ method, outcome: 'result', ms: elapsed(sent) }),
            (e: unknown) => ({ method, outcome: e instanceof ResponseError ? `error ${e.code}` : String(e), ms: elapsed(sent) }),
          );
        setTimeout(() => source.cancel(), 50);
        return reply;
      });
      const pemHoverMs = (assert.match(hoverText(await pemHover), /\*\*Certificate CN=kube-apiserver\*\*/), elapsed(started));
      const cancelled = await Promise.all(cancellations);
      assert.match(hoverText(await manifestHover), /\*\*Certificate CN=kube-apiserver\*\*/);
      const indexedMs = elapsed(started);
      for (const c of cancelled) {
        assert.equal(c.outcome, 'error -32800', `${c.method} cancelled mid-way ends with RequestCancelled`);
        assert.ok(c.ms < 5_000, `${c.method} answered its cancellation in ${c.ms} ms`);
      }
      assert.ok(Math.max(...cancelled.map((c) => c.ms)) < indexedMs, 'cancelled requests returned before the check they waited for');
      assert.ok(pemHoverMs < 10_000, `PEM hover during indexing took ${pemHoverMs} ms`);
      assert.ok(indexedMs < 90_000, `first check and hover took ${indexedMs} ms`);
      const afterIndexRss = rss.sample();

      // 2. The storm: every certificate file rewritten at once (half of the clusters get their neighbour's, signed by
      // another CA, the other half the same bytes again), each change notified as an editor's file watcher does,
      // while one open manifest takes 500 edits a second for 2 s.
      rss.enter('storm');
      const stormStart = Date.now();
      for (const file of certFiles) {
        const c = Number(/clusters\/c(\d+)\//.exec(file)![1]);
        const source =
          c % 2 === 0 && c + 1 < CLUSTERS
            ? file
                .replace(`clusters/c${c}/`, `clusters/c${c + 1}/`)
                .replace(`/cp-${c}/`, `/cp-${c + 1}/`)
                .replace(`/c${c}-w`, `/c${c + 1}-w`)
            : file;
        writeFileSync(file, readFileSync(source));
      }
      await Promise.all(
        certFiles.map((f) => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToUri(f), type: 2 }] })),
      );
      const variants = ['10.0.0.10', '10.0.0.11', '10.0.0.12', '10.0.0.13'].map((ip) =>
        manifestText.replace('--advertise-address=10.0.0.10', `--advertise-address=${ip}`),
      );
      let version = 1;
      const hoverLatencies: number[] = [];
      const stormHovers: Array<Promise<unknown>> = [];
      const editStart = Date.now();
      while (elapsed(editStart) < 2_000) {
        // Paced by the clock: 500 edits for every second gone, in bursts every few milliseconds.
        while (version - 1 < elapsed(editStart) / 2) {
          version++;
          await client.change(manifestUri, variants[version % variants.length], version);
          if (version % 100 === 0) {
            const sent = Date.now();
            stormHovers.push(hoverPem().then(() => hoverLatencies.push(elapsed(sent))));
          }
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      const edits = version - 1;
      const editMs = elapsed(editStart);
      const stormMs = elapsed(stormStart);
      // The last edit is saved: disk and editor agree, so a cold check sees the same text.
      const finalText = variants[version % variants.length];
      writeFileSync(join(tree, MANIFEST), finalText);
      await Promise.all(stormHovers);

      // 3. Quiet: the PEM document closes (its findings are the checker's again), the server settles.
      rss.enter('settling');
      const settleStart = Date.now();
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: pemUri } });
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: manifestUri, type: 2 }] });
      const published = await client.settle(1_500);
      assert.match(hoverText(await hoverManifest()), /\*\*--tls-cert-file\*\*/, 'hovers still answered');
      const settleMs = elapsed(settleStart);
      rss.enter('at rest');
      const afterRss = rss.sample();
      const served = fromServer(tree, published);

      // 4. The same tree, checked cold by the CLI.
      const coldStart = Date.now();
      const cold = fromCli(tree);
      const coldMs = elapsed(coldStart);
      const codes = (list: string[]) => [...new Set(list.map((l) => l.split('|')[0]))].sort().join(', ');
      process.stdout.write(
        `# load: ${certFiles.length} certificate files, ${yamlDocuments} YAML/kubeconfig files, ${CLUSTERS * 4} nodes\n` +
          `# indexing: PEM hover ${pemHoverMs} ms, manifest hover (after the first check) ${indexedMs} ms, cancellations answered in ${cancelled.map((c) => `${c.method} ${c.ms} ms`).join(', ')}\n` +
          `# storm: ${certFiles.length} files rewritten and notified, then ${edits} edits in ${editMs} ms (${Math.round((edits * 1000) / editMs)}/s), ${stormMs} ms in all; PEM hovers during it ${hoverLatencies.join(', ')} ms; settled ${settleMs} ms later\n` +
          `# RSS: after indexing ${(afterIndexRss / MIB).toFixed(0)} MiB; peak while ${[...rss.peaks]
            .filter(([p]) => p !== 'at rest')
            .map(([p, v]) => `${p} ${(v / MIB).toFixed(0)}`)
            .join(', ')} MiB; at rest ${(afterRss / MIB).toFixed(0)} MiB\n` +
          `# diagnostics: server ${served.length}, cold check ${cold.length} (${coldMs} ms); codes ${codes(cold)}\n`,
      );
      assert.ok(edits >= 950, `${edits} edits sent`);
      assert.ok(Math.max(...hoverLatencies) < 10_000, `PEM hovers during the storm: ${hoverLatencies.join(', ')} ms`);
      assert.ok(rss.peak < 400 * MIB, `peak RSS ${(rss.peak / MIB).toFixed(0)} MiB`);
      assert.ok(cold.length > 100, 'the rewrite changed the findings (neighbour clusters signed by another CA)');
      assert.deepEqual(served, cold);
    } finally {
      rss.stop();
      await client.shutdown();
    }
  });
});
