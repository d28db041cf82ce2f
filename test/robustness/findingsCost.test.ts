import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToUri } from '../../server/src/lsp/convert';
import { LspTestClient } from '../support/lspClient';
import { CLI } from '../support/paths';

/**
 * A file with tens of thousands of findings (a bundle of empty PEM blocks, one
 * pem-invalid each) is reported in time linear in the findings: twice the
 * blocks cost less than three times as long, in the CLI's every format and in
 * the language server's cold check. Grouping by file used to copy a file's list
 * per finding (64,000 blocks: 49 s for `check`, 93 s for the server).
 */
const BLOCKS = 12_000;
/** The server's quadratic step was cheaper per finding: it shows clearly from twice as many. */
const SERVER_BLOCKS = 24_000;
const EMPTY_BLOCK = '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n';
const RUNS = 2;

const folders: string[] = [];
after(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

function bundleFolder(blocks: number): string {
  const folder = mkdtempSync(join(tmpdir(), 'kube-pki-findings-'));
  folders.push(folder);
  writeFileSync(join(folder, 'bundle.pem'), EMPTY_BLOCK.repeat(blocks));
  return folder;
}

async function fastest(runs: number, measure: () => Promise<number> | number): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) best = Math.min(best, await measure());
  return best;
}

function assertLinear(blocks: number, tSmall: number, tLarge: number): void {
  assert.ok(tLarge < 3 * tSmall, `${blocks} blocks: ${tSmall} ms, ${2 * blocks}: ${tLarge} ms (x${(tLarge / tSmall).toFixed(2)})`);
}

describe('many findings in one file cost linear time', () => {
  const small = bundleFolder(BLOCKS);
  const large = bundleFolder(2 * BLOCKS);

  for (const format of ['text', 'json', 'sarif']) {
    it(`kube-pki check --format ${format}`, async () => {
      const check = (folder: string, blocks: number) => () => {
        const start = Date.now();
        // The output is megabytes: more than spawnSync's default buffer.
        const run = spawnSync(process.execPath, [CLI, 'check', '--format', format, folder], { encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
        const took = Date.now() - start;
        assert.equal(run.status, 1, run.stderr);
        // Every block is reported: the last one's finding is in the output.
        assert.ok(run.stdout.includes(format === 'text' ? `${2 * blocks - 1}:1` : `block ${blocks}:`), run.stdout.slice(-500));
        return took;
      };
      assertLinear(BLOCKS, await fastest(RUNS, check(small, BLOCKS)), await fastest(RUNS, check(large, 2 * BLOCKS)));
    });
  }

  it("the language server's cold check publishes them", async () => {
    const coldCheck = (folder: string, blocks: number) => async () => {
      const client = new LspTestClient();
      try {
        const start = Date.now();
        const published = client.nextDiagnostics(pathToUri(join(folder, 'bundle.pem')), undefined, 120_000);
        await client.initialize(pathToUri(folder), { trusted: true });
        const diagnostics = await published;
        const took = Date.now() - start;
        assert.equal(diagnostics.length, blocks);
        assert.deepEqual(diagnostics.at(-1)?.range.start, { line: 2 * blocks - 2, character: 0 });
        return took;
      } finally {
        await client.shutdown();
      }
    };
    const [serverSmall, serverLarge] = [bundleFolder(SERVER_BLOCKS), bundleFolder(2 * SERVER_BLOCKS)];
    assertLinear(SERVER_BLOCKS, await fastest(RUNS, coldCheck(serverSmall, SERVER_BLOCKS)), await fastest(RUNS, coldCheck(serverLarge, 2 * SERVER_BLOCKS)));
  });
});
