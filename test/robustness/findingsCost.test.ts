import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
 * the language server's cold check (CPU time). Grouping by file used to copy a file's list
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

/**
 * The fastest of `runs` measurements of each size, taken in turns (a burst of load hits both
 * alike). Measurements are CPU time of the process doing the work, not wall time: on two
 * loaded cores, waiting for one is not the reader's cost.
 */
async function fastestInTurns(runs: number, small: () => Promise<number> | number, large: () => Promise<number> | number): Promise<[number, number]> {
  let [bestSmall, bestLarge] = [Infinity, Infinity];
  for (let i = 0; i < runs; i++) {
    bestSmall = Math.min(bestSmall, await small());
    bestLarge = Math.min(bestLarge, await large());
  }
  return [bestSmall, bestLarge];
}

/** CPU time (user + system, ms) a live process has used so far, from /proc. */
function cpuMsOf(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** The kernel's clock ticks per second (USER_HZ), 100 on Linux. */
const CLOCK_TICKS = 100;
const REPORT_CPU = join(__dirname, '..', 'support', 'reportCpu.js');

function assertLinear(blocks: number, tSmall: number, tLarge: number): void {
  assert.ok(tLarge < 3 * tSmall, `${blocks} blocks: ${tSmall} ms, ${2 * blocks}: ${tLarge} ms (x${(tLarge / tSmall).toFixed(2)})`);
}

describe('many findings in one file cost linear time', () => {
  const small = bundleFolder(BLOCKS);
  const large = bundleFolder(2 * BLOCKS);

  for (const format of ['text', 'json', 'sarif']) {
    it(`kube-pki check --format ${format}`, async () => {
      const check = (folder: string, blocks: number) => () => {
        // The output is megabytes: more than spawnSync's default buffer. The CLI reports its own CPU time.
        const run = spawnSync(process.execPath, ['--require', REPORT_CPU, CLI, 'check', '--format', format, folder], {
          encoding: 'utf8',
          timeout: 120_000,
          maxBuffer: 256 * 1024 * 1024,
        });
        const took = Number(/kube-pki-cpu-ms (\S+)/.exec(run.stderr)?.[1]);
        assert.equal(run.status, 1, run.stderr);
        // Every block is reported: the last one's finding is in the output.
        assert.ok(run.stdout.includes(format === 'text' ? `${2 * blocks - 1}:1` : `block ${blocks}:`), run.stdout.slice(-500));
        return took;
      };
      const [tSmall, tLarge] = await fastestInTurns(RUNS, check(small, BLOCKS), check(large, 2 * BLOCKS));
      assertLinear(BLOCKS, tSmall, tLarge);
    });
  }

  it("the language server's cold check publishes them", async () => {
    const coldCheck = (folder: string, blocks: number) => async () => {
      const client = new LspTestClient();
      try {
        const published = client.nextDiagnostics(pathToUri(join(folder, 'bundle.pem')), undefined, 120_000);
        await client.initialize(pathToUri(folder), { trusted: true });
        const diagnostics = await published;
        const took = cpuMsOf(client.process.pid!);
        assert.equal(diagnostics.length, blocks);
        assert.deepEqual(diagnostics.at(-1)?.range.start, { line: 2 * blocks - 2, character: 0 });
        return took;
      } finally {
        await client.shutdown();
      }
    };
    const [serverSmall, serverLarge] = [bundleFolder(SERVER_BLOCKS), bundleFolder(2 * SERVER_BLOCKS)];
    const [tSmall, tLarge] = await fastestInTurns(RUNS, coldCheck(serverSmall, SERVER_BLOCKS), coldCheck(serverLarge, 2 * SERVER_BLOCKS));
    assertLinear(SERVER_BLOCKS, tSmall, tLarge);
  });
});
