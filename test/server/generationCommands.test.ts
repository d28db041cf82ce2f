import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { pathToUri } from '../../server/src/lsp/convert';
import { makeKubeadmNode } from '../support/clusterFixture';
import { LspTestClient } from '../support/lspClient';
import { missingPeer } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { fixtureTrees } from '../support/seed';
import { service } from '../support/service';

const skip = missingPeer('openssl');

async function serverOn(root: string, trusted: boolean): Promise<LspTestClient> {
  const client = new LspTestClient();
  await client.initialize(pathToUri(root), { trusted });
  return client;
}

describeNeeding('generation commands through the language server (what the editor commands call)', skip, () => {
  const trees = fixtureTrees((root) => makeKubeadmNode(root, { nodeName: 'cp-7', advertiseAddress: '10.1.2.3' }));

  it('prefills the inputs from the workspace files', async () => {
    const client = await serverOn(trees.clean(), true);
    try {
      const defaults = await client.request<Record<string, unknown>>('workspace/executeCommand', {
        command: 'kubePki.workspaceDefaults',
        arguments: [{ folder: trees.clean() }],
      });
      assert.equal(defaults.nodeName, 'cp-7');
      assert.equal(defaults.advertiseAddress, '10.1.2.3');
      assert.equal(defaults.serviceCidr, '10.96.0.0/12');
    } finally {
      await client.shutdown();
    }
  });

  it("prefills an empty target folder's inputs from the workspace folder around it, not with the bare defaults", async () => {
    const root = trees.seeded((r) => mkdirSync(join(r, 'new-node')));
    const client = await serverOn(root, true);
    try {
      const defaults = await client.request<Record<string, unknown>>('workspace/executeCommand', {
        command: 'kubePki.workspaceDefaults',
        arguments: [{ folder: join(root, 'new-node') }],
      });
      assert.equal(defaults.nodeName, 'cp-7');
      assert.equal(defaults.advertiseAddress, '10.1.2.3');
    } finally {
      await client.shutdown();
    }
  });

  it('generates a whole PKI inside the workspace, which then checks clean', async () => {
    const root = trees.scratch();
    const client = await serverOn(root, true);
    try {
      const outDir = join(root, 'node-b');
      const result = await client.request<{ written: string[] }>('workspace/executeCommand', {
        command: 'kubePki.generatePki',
        arguments: [{ outDir, params: { nodeName: 'node-b', advertiseAddress: '10.0.0.2', keyType: 'ECDSA-P256' } }],
      });
      assert.equal(result.written.length, 27);
      assert.ok(existsSync(join(outDir, 'etc/kubernetes/pki/etcd/peer.key')));
      assert.deepEqual((await service.checkTree(root)).findings, []);
      await new Promise((r) => setTimeout(r, 50));
      assert.match(client.messages.map((m) => m.message).join('\n'), /Kubernetes PKI: wrote 27 files/);
    } finally {
      await client.shutdown();
    }
  });

  it('refuses to write outside the workspace folders, or in an untrusted workspace', async () => {
    const root = trees.scratch();
    const outside = join(tmpdir(), `kube-pki-outside-${process.pid}`);
    const client = await serverOn(root, true);
    try {
      const refused = await client.request<{ written: string[]; error?: string }>('workspace/executeCommand', {
        command: 'kubePki.generatePki',
        arguments: [{ outDir: outside, params: {} }],
      });
      assert.deepEqual(refused, { written: [], error: 'outside-workspace' });
      assert.ok(!existsSync(outside));
    } finally {
      await client.shutdown();
      rmSync(outside, { recursive: true, force: true });
    }
    const untrusted = await serverOn(root, false);
    try {
      mkdirSync(join(root, 'pki'), { recursive: true });
      const refused = await untrusted.request<{ written: string[]; error?: string }>('workspace/executeCommand', {
        command: 'kubePki.generateCert',
        arguments: [{ pkiDir: join(root, 'pki'), profile: 'ca', params: {} }],
      });
      assert.deepEqual(refused, { written: [], error: 'untrusted' });
      assert.ok(!existsSync(join(root, 'pki', 'ca.crt')));
    } finally {
      await untrusted.shutdown();
    }
  });
});
