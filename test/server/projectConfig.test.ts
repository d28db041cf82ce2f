import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToUri } from '../../server/src/lsp/convert';
import { LspTestClient } from '../support/lspClient';
import { REPO_ROOT } from '../support/paths';

const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';

// The editor reads the checked folder's .kube-pki.yaml as the CLI does, under the kubePki.rules setting.
describe('.kube-pki.yaml in the editor', () => {
  const folders: string[] = [];
  after(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

  function exampleWith(projectConfig: string): string {
    const root = mkdtempSync(join(tmpdir(), 'kube-pki-project-'));
    folders.push(root);
    cpSync(join(REPO_ROOT, 'examples', 'cluster'), root, { recursive: true, verbatimSymlinks: true });
    writeFileSync(join(root, '.kube-pki.yaml'), projectConfig);
    return root;
  }

  async function codesOnApiserver(root: string, settings?: Record<string, unknown>): Promise<unknown[]> {
    const client = new LspTestClient();
    if (settings) client.settings = { kubePki: settings };
    await client.initialize(pathToUri(root), { trusted: true }, { pullSettings: !!settings });
    try {
      const problems = await client.settle(300);
      return (problems.get(pathToUri(join(root, APISERVER))) ?? []).map((d) => [d.code, d.severity]).sort();
    } finally {
      await client.shutdown();
    }
  }

  it('turns a rule off and another down, as the CLI does', async () => {
    // key-permissions off: a copy outside a git work tree has its keys 0644.
    const root = exampleWith('rules:\n  san-missing: "off"\n  key-mismatch: warning\n  key-permissions: "off"\n');
    assert.deepEqual(await codesOnApiserver(root), [
      ['cert-expired', 1],
      ['key-mismatch', 2],
    ]);
  });

  it('the kubePki.rules setting wins over the file', async () => {
    const root = exampleWith('rules:\n  san-missing: "off"\n  key-permissions: "off"\n');
    assert.deepEqual(await codesOnApiserver(root, { rules: { 'san-missing': 'warning' } }), [
      ['cert-expired', 1],
      ['key-mismatch', 1],
      ['san-missing', 2],
    ]);
  });
});
