import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cli';
import { REPO_ROOT } from '../support/paths';

/** Private keys and the kubeconfigs embedding one 0600, as on a node (a copy out of git keeps the checkout's 0644). */
function tightenKeys(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) tightenKeys(path);
    else if (entry.name.endsWith('.key') || entry.name.endsWith('.pem') || entry.name.endsWith('.conf')) chmodSync(path, 0o600);
  }
}

const problems = (stdout: string) => stdout.split('\n').filter((l) => / (error|warning|information) {2,}/.test(l));

describe('several node roots in one workspace are separate nodes', () => {
  let ws: string;
  before(() => {
    ws = mkdtempSync(join(tmpdir(), 'kube-pki-separate-nodes-'));
    cpSync(join(REPO_ROOT, 'examples', 'cluster'), ws, { recursive: true, verbatimSymlinks: true });
    tightenKeys(ws);
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  it('a PKI generated into generated/ beside the example cluster adds no finding to either', () => {
    const alone = runCli(['check', ws]);
    assert.equal(alone.status, 1, alone.stderr);
    assert.deepEqual(
      problems(alone.stdout).map((l) => l.trim().split(/\s+/).pop()),
      ['ca-mismatch', 'cert-expired', 'key-mismatch', 'san-missing', 'identity-mismatch'],
      alone.stdout,
    );
    const gen = runCli(['gen', 'pki', join(ws, 'generated'), '--key-type', 'ECDSA-P256']);
    assert.equal(gen.status, 0, gen.stderr);
    const both = runCli(['check', ws]);
    assert.deepEqual(problems(both.stdout), problems(alone.stdout), both.stdout);
  });
});
