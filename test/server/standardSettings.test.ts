import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver/node';
import { pathToUri } from '../../server/src/lsp/convert';
import { makeKubeadmNode } from '../support/clusterFixture';
import { LspTestClient } from '../support/lspClient';
import { missingPeer } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { fixtureTrees } from '../support/seed';

const skip = missingPeer('openssl');
const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';

/** The diagnostics of `uri` once they satisfy `done` (each publish is looked at; the last one must). */
async function diagnosticsUntil(client: LspTestClient, uri: string, done: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
  for (;;) {
    const current = client.allDiagnostics().get(uri);
    if (current && done(current)) return current;
    await client.nextDiagnostics(uri, undefined, 30_000);
  }
}

// Neovim, Helix and any LSP client configure the server the standard way: the server asks for the
// "kubePki" section per folder (workspace/configuration) and asks again when told it changed.
describeNeeding('settings the standard way: workspace/configuration and didChangeConfiguration', skip, () => {
  const trees = fixtureTrees((root) => makeKubeadmNode(root));

  it('pulls kubePki per folder: a 3650-day window flags the one-year certificates, back to 30 days it does not', async () => {
    const root = trees.clean();
    const uri = pathToUri(join(root, APISERVER));
    const lines = readFileSync(join(root, APISERVER), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('--tls-cert-file='));
    const character = lines[line].indexOf('/etc/kubernetes/pki/apiserver.crt');
    const client = new LspTestClient();
    client.settings = { kubePki: { expiryWarningDays: 3650 } };
    await client.initialize(pathToUri(root), { trusted: true }, { pullSettings: true });
    try {
      const flagged = await diagnosticsUntil(client, uri, (d) => d.length > 0);
      const onTlsCert = flagged.filter((d) => d.range.start.line === line);
      assert.deepEqual(
        onTlsCert.map((d) => ({ code: d.code, severity: d.severity, range: d.range })),
        [
          {
            code: 'cert-expiring-soon',
            severity: 2,
            range: { start: { line, character }, end: { line, character: character + '/etc/kubernetes/pki/apiserver.crt'.length } },
          },
        ],
      );
      assert.ok(
        flagged.every((d) => d.code === 'cert-expiring-soon'),
        JSON.stringify(flagged.map((d) => d.code)),
      );
      assert.deepEqual(client.configurationAsked[0], { scopeUri: pathToUri(root), section: 'kubePki' });
      assert.deepEqual(
        client.registered.map((r) => [r.method, r.registerOptions]),
        [['workspace/didChangeConfiguration', { section: ['kubePki', 'files'] }]],
      );

      client.settings = { kubePki: { expiryWarningDays: 30 } };
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      assert.deepEqual(await diagnosticsUntil(client, uri, (d) => d.length === 0), []);
    } finally {
      await client.shutdown();
    }
  });

  it('takes initializationOptions as a base for a client that answers nothing for the section', async () => {
    const root = trees.clean();
    const uri = pathToUri(join(root, APISERVER));
    const client = new LspTestClient();
    await client.initialize(pathToUri(root), { trusted: true, expiryWarningDays: 3650 }, { pullSettings: true });
    try {
      const flagged = await diagnosticsUntil(client, uri, (d) => d.length > 0);
      assert.ok(flagged.length > 0 && flagged.every((d) => d.code === 'cert-expiring-soon'), JSON.stringify(flagged.map((d) => d.code)));
    } finally {
      await client.shutdown();
    }
  });

  it("an open certificate warns with the folder's window too, in its diagnostics and its hover", async () => {
    const root = trees.clean();
    const crt = join(root, 'etc/kubernetes/pki/apiserver.crt');
    const uri = pathToUri(crt);
    const client = new LspTestClient();
    client.settings = { kubePki: { expiryWarningDays: 3650 } };
    await client.initialize(pathToUri(root), { trusted: true }, { pullSettings: true });
    try {
      await client.settle(300);
      const published = client.nextDiagnostics(uri, 1, 30_000);
      await client.open(uri, readFileSync(crt, 'utf8'));
      const diagnostics = await published;
      assert.deepEqual(
        diagnostics.map((d) => [d.code, d.severity, d.range.start.line]),
        [['cert-expiring-soon', 2, 0]],
      );
      const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
        textDocument: { uri },
        position: { line: 1, character: 0 },
      });
      assert.match(hover?.contents.value ?? '', /⚠ expires in 3\d\d days/);
    } finally {
      await client.shutdown();
    }
  });
});
