import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { pathToUri } from '../../server/src/lsp/convert';
import { runCli } from '../support/cli';
import { makeKubeadmNode } from '../support/clusterFixture';
import { LspTestClient } from '../support/lspClient';
import { missingPeer } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { fixtureTrees } from '../support/seed';
import { service } from '../support/service';

const skip = missingPeer('openssl');

/** Fragments of every private key of the tree, as base64 and hex: none may appear in any output. */
function keyFragments(root: string): string[] {
  const files = [
    'etc/kubernetes/pki/ca.key',
    'etc/kubernetes/pki/apiserver.key',
    'etc/kubernetes/pki/sa.key',
    'etc/kubernetes/pki/etcd/peer.key',
    'var/lib/kubelet/pki/kubelet.key',
  ];
  const kubeconfigKeys = ['admin.conf', 'scheduler.conf'].map((f) =>
    Buffer.from(/client-key-data: (\S+)/.exec(readFileSync(join(root, 'etc/kubernetes', f), 'utf8'))![1], 'base64').toString(),
  );
  const pems = [...files.map((f) => readFileSync(join(root, f), 'utf8')), ...kubeconfigKeys];
  return pems.flatMap((pem) => {
    const lines = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
    const der = Buffer.from(lines.join(''), 'base64');
    // The tail of an RSA PKCS#1 key is its private CRT values; bytes 8-24 of an EC SEC1 key are its private scalar.
    const secret = [der.subarray(der.length - 40, der.length - 24), der.subarray(8, 24)];
    return [
      lines[lines.length - 2].slice(4, 36),
      ...secret.flatMap((b) => [b.toString('base64').slice(2, 18), b.toString('hex'), b.toString('hex').toUpperCase().match(/../g)!.join(':')]),
    ];
  });
}

function assertNoKeyMaterial(surface: string, text: string, fragments: string[]): void {
  for (const fragment of fragments) assert.ok(!text.includes(fragment), `${surface} shows private key material (${fragment.slice(0, 12)}...)`);
}

describeNeeding('no private key material on any output surface', skip, () => {
  const trees = fixtureTrees((root) => makeKubeadmNode(root));

  it('CLI, checker findings, hovers, diagnostics, code lens, preview data and the PKI tree carry no key bytes', async () => {
    const root = trees.clean();
    const fragments = keyFragments(root);
    const pki = join(root, 'etc/kubernetes/pki');
    const outputs: Array<[string, string]> = [];
    for (const format of ['text', 'json']) {
      const run = runCli([
        'inspect',
        join(pki, 'ca.key'),
        join(pki, 'apiserver.key'),
        join(pki, 'sa.key'),
        join(root, 'var/lib/kubelet/pki/kubelet-client-current.pem'),
        '--format',
        format,
      ]);
      outputs.push([`inspect ${format}`, run.stdout + run.stderr]);
    }
    outputs.push([
      'verify --key',
      JSON.stringify(runCli(['verify', join(pki, 'apiserver.crt'), '--ca', join(pki, 'ca.crt'), '--key', join(pki, 'apiserver.key'), '--format', 'json'])),
    ]);
    for (const format of ['text', 'json', 'sarif']) outputs.push([`check ${format}`, JSON.stringify(runCli(['check', root, '--format', format]))]);
    outputs.push(['checker findings', JSON.stringify((await service.checkTree(root)).findings)]);

    const client = new LspTestClient();
    const logs: string[] = [];
    client.connection.onNotification('window/logMessage', (p: { message: string }) => {
      logs.push(p.message);
    });
    await client.initialize(pathToUri(root), { trusted: true });
    try {
      for (const file of ['etc/kubernetes/manifests/kube-apiserver.yaml', 'etc/kubernetes/admin.conf', 'var/lib/kubelet/config.yaml']) {
        const uri = pathToUri(join(root, file));
        const text = readFileSync(join(root, file), 'utf8');
        await client.open(uri, text, 'yaml');
        const lines = text.split('\n');
        for (let line = 0; line < lines.length; line++) {
          const at = lines[line].search(/(key|Key|cert|ca)[^:=]*[:=]\s*\S/);
          if (at < 0) continue;
          outputs.push([
            `hover ${file}:${line + 1}`,
            JSON.stringify(await client.request('textDocument/hover', { textDocument: { uri }, position: { line, character: lines[line].length - 2 } })),
          ]);
        }
        outputs.push([`code lens ${file}`, JSON.stringify(await client.request('textDocument/codeLens', { textDocument: { uri } }))]);
        outputs.push([`links ${file}`, JSON.stringify(await client.request('textDocument/documentLink', { textDocument: { uri } }))]);
      }
      const keyUri = pathToUri(join(pki, 'apiserver.key'));
      await client.open(keyUri, readFileSync(join(pki, 'apiserver.key'), 'utf8'), 'pem');
      outputs.push([
        'hover on a key block',
        JSON.stringify(await client.request('textDocument/hover', { textDocument: { uri: keyUri }, position: { line: 3, character: 3 } })),
      ]);
      outputs.push(['key outline', JSON.stringify(await client.request('textDocument/documentSymbol', { textDocument: { uri: keyUri } }))]);
      outputs.push(['preview of a key', JSON.stringify(await client.request('kubePki/previewData', { uri: keyUri }))]);
      outputs.push(['PKI tree', JSON.stringify(await client.request('kubePki/pkiTree', {}))]);
      outputs.push(['key folding', JSON.stringify(await client.request('textDocument/foldingRange', { textDocument: { uri: keyUri } }))]);
      const manifestUri = pathToUri(join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml'));
      const manifestLines = readFileSync(join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml'), 'utf8').split('\n');
      const keyLine = manifestLines.findIndex((l) => l.includes('--tls-private-key-file='));
      outputs.push([
        'path completion at a key flag',
        JSON.stringify(
          await client.request('textDocument/completion', {
            textDocument: { uri: manifestUri },
            position: { line: keyLine, character: manifestLines[keyLine].length },
          }),
        ),
      ]);
      outputs.push([
        'workspace defaults',
        JSON.stringify(await client.request('workspace/executeCommand', { command: 'kubePki.workspaceDefaults', arguments: [{ folder: root }] })),
      ]);
      outputs.push(['published diagnostics', JSON.stringify([...(await client.settle(300))])]);
      outputs.push(['messages', JSON.stringify(client.messages)]);
    } finally {
      await client.shutdown();
    }
    outputs.push(['server log', logs.join('\n') + client.stderr]);
    assert.ok(outputs.length > 20);
    for (const [surface, text] of outputs) assertNoKeyMaterial(surface, text, fragments);
  });
});
