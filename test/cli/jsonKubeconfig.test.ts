import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../support/cli';

/** kubectl reads a kubeconfig written as JSON; so does `kube-pki check`. */
describe('kube-pki check on a JSON kubeconfig (CLI)', () => {
  const root = mkdtempSync(join(tmpdir(), 'kube-pki-json-kubeconfig-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  const clusters = ' "clusters": [{"name": "k", "cluster": {"server": "https://10.0.0.1:6443", "certificate-authority": "/etc/kubernetes/pki/ca.crt"}}],';
  const kubeconfigs = {
    'a pretty-printed one': `{\n "apiVersion": "v1",\n "kind": "Config",\n${clusters}\n "users": [],\n "contexts": []\n}\n`,
    'one on one line': `{"apiVersion": "v1", "kind": "Config",${clusters.slice(1)} "users": [], "contexts": []}`,
  };

  for (const [name, text] of Object.entries(kubeconfigs)) {
    it(`${name}: a missing CA gets file-not-found on the JSON string's value`, () => {
      mkdirSync(join(root, name, 'etc/kubernetes'), { recursive: true });
      writeFileSync(join(root, name, 'etc/kubernetes/admin.conf'), text);
      const lines = text.split('\n');
      const line = lines.findIndex((l) => l.includes('/etc/kubernetes/pki/ca.crt'));
      // The string node's range, quotes included (as for a quoted YAML scalar).
      const column = lines[line].indexOf('"/etc/kubernetes/pki/ca.crt"') + 1;
      const run = runCli(['check', join(root, name), '--format', 'json']);
      assert.equal(run.status, 1, run.stdout + run.stderr);
      assert.deepEqual(JSON.parse(run.stdout).diagnostics, [
        {
          file: 'etc/kubernetes/admin.conf',
          line: line + 1,
          column,
          endLine: line + 1,
          endColumn: column + '"/etc/kubernetes/pki/ca.crt"'.length,
          severity: 'error',
          code: 'file-not-found',
          message: '/etc/kubernetes/pki/ca.crt (certificate-authority) does not exist: looked for etc/kubernetes/pki/ca.crt',
        },
      ]);
    });
  }
});
