import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToUri } from '../../server/src/lsp/convert';
import { LspTestClient } from '../support/lspClient';

// Command arguments come from the client: each command's schema is checked before anything runs.
// Paths are judged first (refused as outside-workspace, as before); then the other fields' shape.
describe('command arguments are checked against a schema per command', () => {
  it('refuses a malformed argument with its reasons, writing nothing', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'kube-pki-args-'));
    const client = new LspTestClient();
    await client.initialize(pathToUri(ws), { trusted: true });
    try {
      const cases: Array<[string, Record<string, unknown>, string]> = [
        ['kubePki.generateCert', { pkiDir: ws, params: {} }, 'profile is required'],
        ['kubePki.server.createCsr', { prefix: join(ws, 'node'), subject: 'CN=x', sans: [] }, 'subject must be a list of [attribute, value] pairs'],
        ['kubePki.server.createCsr', { prefix: join(ws, 'node'), subject: [['CN', 'x']], sans: 'a,b' }, 'sans must be a list of strings'],
        ['kubePki.generatePki', { outDir: ws, params: 'ECDSA' }, 'params must be an object'],
      ];
      for (const [command, args] of cases) {
        const result = await client.request('workspace/executeCommand', { command, arguments: [args] });
        assert.deepEqual(result, { written: [], error: 'invalid-arguments' }, command);
      }
      const fix = await client.request('workspace/executeCommand', {
        command: 'kubePki.applyFix',
        arguments: [{ kind: 'issue-certificate', certPath: join(ws, 'a.crt'), keyPath: join(ws, 'a.key'), key: 'new' }],
      });
      assert.deepEqual(fix, { written: [], backups: [], cancelled: true, reason: 'invalid-arguments' });
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(
        client.messages.map((m) => [m.type, m.message]),
        [
          [1, 'Kubernetes PKI: profile is required. Nothing was written.'],
          [1, 'Kubernetes PKI: subject must be a list of [attribute, value] pairs. Nothing was written.'],
          [1, 'Kubernetes PKI: sans must be a list of strings. Nothing was written.'],
          [1, 'Kubernetes PKI: params must be an object. Nothing was written.'],
          [1, 'Kubernetes PKI: title is required. Nothing was written.'],
        ],
      );
      assert.deepEqual(readdirSync(ws), []);
    } finally {
      await client.shutdown();
      rmSync(ws, { recursive: true, force: true });
    }
  });
});
