import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { pathToUri } from '../../server/src/lsp/convert';
import { runCli } from '../support/cli';
import { LspTestClient } from '../support/lspClient';
import { REPO_ROOT } from '../support/paths';

/**
 * The manifests in the workspace, the node's files elsewhere (a real node's `/`, or a copy
 * beside the repository): `--root` and the nodeRoot setting name it. Only the node's cluster
 * folders are read there, never the rest of that file system.
 */
describe('a node root outside the checked folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-pki-noderoot-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const workspace = join(dir, 'ws');
  const node = join(dir, 'node');
  cpSync(join(REPO_ROOT, 'examples', 'cluster'), node, { recursive: true, verbatimSymlinks: true });
  // Keys and the kubeconfigs embedding one as kubeadm leaves them (a clean clone checks them out 0644, and this copy is outside git).
  for (const name of readdirSync(node, { recursive: true }).map(String))
    if (/\.key$|\.conf$|kubelet-client-2.*\.pem$/.test(name)) chmodSync(join(node, name), 0o600);
  mkdirSync(workspace);
  renameSync(join(node, 'etc/kubernetes/manifests'), join(workspace, 'manifests'));
  // Outside the node's cluster folders: a kubeconfig that would be reported if it were read.
  mkdirSync(join(node, 'home/admin'), { recursive: true });
  writeFileSync(
    join(node, 'home/admin/broken.kubeconfig'),
    'apiVersion: v1\nkind: Config\nusers:\n- name: x\n  user:\n    client-certificate: /nowhere/x.crt\n',
  );

  it("kube-pki check --root: the example cluster's five mistakes, found through the node's files", () => {
    const run = runCli(['check', workspace, '--root', node, '--format', 'json']);
    const report = JSON.parse(run.stdout) as { diagnostics: Array<{ file: string; line: number; code: string }> };
    assert.deepEqual(report.diagnostics.map((d) => `${d.file}:${d.line} ${d.code}`).sort(), [
      '../node/etc/kubernetes/admin.conf:18 ca-mismatch',
      '../node/etc/kubernetes/scheduler.conf:18 identity-mismatch',
      'manifests/kube-apiserver.yaml:23 cert-expired',
      'manifests/kube-apiserver.yaml:27 key-mismatch',
      'manifests/kube-apiserver.yaml:41 san-missing',
    ]);
    assert.equal(run.status, 1);
  });

  it('the server with nodeRoot: the hover decodes the certificate under that root', async () => {
    const client = new LspTestClient();
    try {
      await client.initialize(pathToUri(workspace), { trusted: true, nodeRoot: node });
      const manifest = join(workspace, 'manifests/kube-apiserver.yaml');
      const text = readFileSync(manifest, 'utf8');
      const uri = pathToUri(manifest);
      await client.open(uri, text, 'yaml');
      const line = text.split('\n').findIndex((l) => l.includes('--tls-cert-file='));
      const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line, character: 30 } });
      const value = (hover.contents as MarkupContent).value;
      assert.match(value, /Certificate CN=kube-apiserver/);
      assert.match(value, /has no SAN 192\.168\.10\.20/);
      assert.doesNotMatch(value, /outside the workspace/);
    } finally {
      await client.shutdown();
    }
  });
});
