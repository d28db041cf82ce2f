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
        manifestHover: { payload: string; window: string[] };
        pemHover: { payload: string; window: string[] };
      };
      assert.deepEqual(
        result.manifestDiagnostics.map((d) => d.code),
        ['san-missing'],
      );
      assert.match(result.manifestDiagnostics[0].message, /has no SAN 192\.168\.10\.70, the --advertise-address$/);
      // The floating window Neovim opens, as its lines: the verdicts lead, and no needless escape shows.
      const manifest = result.manifestHover.window.map((l) => l.trimEnd());
      assert.equal(manifest[0], '**--tls-cert-file** · API server serving certificate (kube-apiserver)');
      assert.match(
        manifest[1],
        /^✗ apiserver\.crt \(from --tls-cert-file in kube-apiserver\.yaml\) has no SAN 192\.168\.10\.70, the --advertise-address \(san-missing\)$/,
      );
      assert.match(manifest[2], /^✓ signed by etc\/kubernetes\/pki\/ca\.crt/);
      assert.ok(manifest.includes('**Certificate CN=kube-apiserver**'), manifest.join('\n'));
      assert.ok(
        manifest.some((l) => /^SANs: DNS:cp-1, .*IP:10\.96\.0\.1/.test(l)),
        manifest.join('\n'),
      );
      const pem = result.pemHover.window.map((l) => l.trimEnd());
      assert.equal(pem[0], '**Certificate CN=kube-apiserver**');
      assert.match(pem[1], /^✓ expires in \d+ days$/);
      for (const [what, lines] of [
        ['manifest', manifest],
        ['PEM', pem],
      ] as const)
        assert.doesNotMatch(lines.join('\n'), /\\[-.=:]/, `${what} hover shows a backslash escape: ${lines.join('\n')}`);
      // The window shows the payload's lines (Neovim 0.7 renders the Markdown source, highlighted).
      assert.equal(result.manifestHover.payload.split('\n')[0].trimEnd(), manifest[0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
