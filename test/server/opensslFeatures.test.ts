import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CodeAction, CompletionItem, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver/node';
import { pathToUri } from '../../server/src/lsp/convert';
import { LspTestClient } from '../support/lspClient';

// The seed's openssl.cnf, as the editor shows it: its errors with their edits, hover on its keys, completion of names and values.
const SEED = [
  '[req]',
  'req_extensions = v3_req',
  'distinguished_name = req_distinguished_name',
  '[ v3_req ]',
  'basicContrainsts = CA:FALSE',
  'keyUsage = nonRepudiation,',
  'subjectAltName = @alt_names',
  '[ alt_names ]',
  'DNS.1 = kubernetes',
  '',
].join('\n');

describe('openssl profiles in the editor, through the language server', () => {
  const root = mkdtempSync(join(tmpdir(), 'kube-pki-cnf-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const file = join(root, 'openssl.cnf');
  writeFileSync(file, SEED);
  const uri = pathToUri(file);

  it('publishes the three errors, each with an edit that repairs the open document', async () => {
    const client = new LspTestClient();
    try {
      await client.initialize(pathToUri(root), { trusted: true });
      await client.open(uri, SEED, 'plaintext');
      const diagnostics = (await client.settle()).get(uri) ?? [];
      assert.deepEqual(
        diagnostics.map((d: Diagnostic) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]),
        [
          ['openssl-config', 2, 21, 43],
          ['openssl-config', 4, 0, 16],
          ['openssl-config', 5, 11, 26],
        ],
      );
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostics[1].range,
        context: { diagnostics: [diagnostics[1]] },
      });
      assert.deepEqual(
        actions.map((a) => [a.title, a.command, a.edit]),
        [['Rename to basicConstraints', undefined, { changes: { [uri]: [{ range: diagnostics[1].range, newText: 'basicConstraints' }] } }]],
      );

      const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 3 } });
      assert.match((hover.contents as MarkupContent).value, /^\*\*keyUsage\*\* {2}\nX\.509 v3 extension\. What the key may do/);
      assert.deepEqual(hover.range, { start: { line: 5, character: 0 }, end: { line: 5, character: 8 } });

      const typed = SEED.replace('subjectAltName', 'subj');
      await client.change(uri, typed, 2);
      const names = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 6, character: 4 } });
      assert.ok(names.some((c) => c.label === 'subjectAltName'));
      assert.deepEqual(names.find((c) => c.label === 'subjectAltName')?.textEdit, {
        range: { start: { line: 6, character: 0 }, end: { line: 6, character: 4 } },
        newText: 'subjectAltName',
      });
      const values = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 26 } });
      assert.ok(values.some((c) => c.label === 'digitalSignature'));
      assert.deepEqual(values.find((c) => c.label === 'keyEncipherment')?.textEdit, {
        range: { start: { line: 5, character: 26 }, end: { line: 5, character: 26 } },
        newText: 'keyEncipherment',
      });
    } finally {
      await client.shutdown();
    }
  });
});
