import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { runInspect } from '../../server/src/cli/inspect';
import { REPO_ROOT } from '../support/paths';

// The fs module the compiled sources call (CommonJS: looked up at each call), so opens can be counted.
const fs: typeof import('node:fs') = require('node:fs');

const MANIFEST = join(REPO_ROOT, 'test', 'fixtures', 'objects', 'clean', 'webhook-secret.yaml');

/** Runs `kube-pki inspect` in this process, counting how often each file is opened. */
async function inspectCounting(paths: string[]): Promise<{ code: number; out: string; opens: Map<string, number> }> {
  const opens = new Map<string, number>();
  const original = fs.openSync;
  fs.openSync = ((path: import('node:fs').PathLike, ...rest: unknown[]) => {
    opens.set(String(path), (opens.get(String(path)) ?? 0) + 1);
    return (original as (...args: unknown[]) => number)(path, ...rest);
  }) as typeof original;
  let out = '';
  try {
    const code = await runInspect([...paths, '--at', '2026-01-01T00:00:00Z'], { out: (t) => (out += `${t}\n`), err: (t) => (out += `ERR ${t}\n`) });
    return { code, out, opens };
  } finally {
    fs.openSync = original;
  }
}

describe('kube-pki inspect reads each argument once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-pki-inspect-once-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const secret = parse(fs.readFileSync(MANIFEST, 'utf8'));
  const caPem = Buffer.from(secret.data['ca.crt'], 'base64').toString('utf8');
  const pem = join(dir, 'ca.crt');
  writeFileSync(pem, caPem);
  const kubeconfig = join(dir, 'admin.conf');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: k\n  cluster:\n    server: https://10.0.0.1:6443\n    certificate-authority-data: ${secret.data['ca.crt']}\nusers: []\n`,
  );

  it('a manifest, a PEM file and a kubeconfig: one open each, and each decoded', async () => {
    const { code, out, opens } = await inspectCounting([MANIFEST, pem, kubeconfig]);
    assert.equal(code, 0, out);
    assert.deepEqual(
      [MANIFEST, pem, kubeconfig].map((p) => opens.get(realpathSync(p))),
      [1, 1, 1],
    );
    assert.match(out, /# Secret policy\/policy-webhook-tls data\.ca\.crt, line 10\n/);
    assert.match(out, new RegExp(`${pem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n  # block 1, lines 1-\\d+\n  CA certificate`));
    assert.match(out, /cluster "k" certificate-authority-data/);
  });
});
