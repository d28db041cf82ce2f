import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { makeKubeadmNode } from '../support/clusterFixture';
import { missingPeer } from '../support/openssl';
import { describeNeeding, REPO_ROOT, SERVER } from '../support/paths';
import { missingProgram } from '../support/peers';
import { edit } from '../support/seed';

const skip = missingPeer('openssl') ?? missingProgram('nvim', ['--version'], 'neovim');

describeNeeding('Neovim as a second LSP client (its own client, headless)', skip, () => {
  it('gets the checker diagnostics on a manifest and hovers on a flag and a PEM block', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-pki-nvim-'));
    try {
      const root = join(dir, 'node');
      makeKubeadmNode(root);
      edit(root, 'etc/kubernetes/manifests/kube-apiserver.yaml', (t) => t.replace('--advertise-address=192.168.10.10', '--advertise-address=192.168.10.70'));
      const out = join(dir, 'result.json');
      const home = join(dir, 'home');
      const run = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${join(REPO_ROOT, 'test', 'clients', 'neovim.lua')}`], {
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          KUBE_PKI_SERVER: SERVER,
          KUBE_PKI_ROOT: root,
          KUBE_PKI_NVIM_OUT: out,
          HOME: home,
          XDG_CONFIG_HOME: join(home, 'config'),
          XDG_DATA_HOME: join(home, 'data'),
          XDG_STATE_HOME: join(home, 'state'),
          XDG_CACHE_HOME: join(home, 'cache'),
          TMPDIR: dir,
        },
      });
      assert.equal(run.status, 0, `nvim exited ${run.status}: ${run.stderr}`);
      const result = JSON.parse(readFileSync(out, 'utf8')) as {
        manifestDiagnostics: Array<{ code: string; line: number; message: string }>;
        manifestHover: string;
        pemHover: string;
      };
      assert.deepEqual(
        result.manifestDiagnostics.map((d) => d.code),
        ['san-missing'],
      );
      assert.match(result.manifestDiagnostics[0].message, /has no SAN 192\.168\.10\.70, the --advertise-address$/);
      assert.match(result.manifestHover, /\*\*Certificate CN\\=kube\\-apiserver\*\*/);
      assert.match(result.pemHover, /^\*\*Certificate CN\\=kube\\-apiserver\*\*/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
