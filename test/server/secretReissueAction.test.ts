import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver/node';
import { parse } from 'yaml';
import { LineIndex } from '../../server/src/engine/text/lineIndex';
import { pathToUri } from '../../server/src/lsp/convert';
import { LspTestClient } from '../support/lspClient';
import { REPO_ROOT } from '../support/paths';

describe("san-missing on a Secret's certificate in the editor: the code action is the edit of tls.crt", () => {
  const root = mkdtempSync(join(tmpdir(), 'kube-pki-reissue-lsp-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'objects', 'links', 'reissue-san'), root, { recursive: true });
  const file = join(root, 'secret.yaml');
  const uri = pathToUri(file);

  it('returns one workspace edit whose new value is a certificate with the .svc name, signed by the CA Secret', async () => {
    const client = new LspTestClient();
    try {
      const first = client.nextDiagnostics(uri, undefined, 20_000);
      await client.initialize(pathToUri(root), { trusted: true });
      const diagnostics: Diagnostic[] = await first;
      assert.deepEqual(
        diagnostics.map((d) => [d.code, d.range.start.line]),
        [['san-missing', 7]],
      );
      // What the client holds names the key values' places, never their bytes.
      assert.doesNotMatch(JSON.stringify(diagnostics[0].data), /LS0tLS1CRUdJTiBQUklWQVRF|PRIVATE KEY/);
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostics[0].range,
        context: { diagnostics: [diagnostics[0]] },
      });
      assert.deepEqual(
        actions.map((a) => [a.title, a.kind, a.isPreferred, a.command, Object.keys(a.edit?.changes ?? {})]),
        [
          [
            'Re-issue tls.crt of Secret policy/policy-webhook-tls with policy-webhook.policy.svc added (signed by tls.crt of Secret policy/policy-webhook-ca, same key)',
            'quickfix',
            true,
            undefined,
            [uri],
          ],
        ],
      );
      const [edit] = actions[0].edit?.changes?.[uri] as TextEdit[];
      assert.deepEqual(edit.range, diagnostics[0].range);
      const text = readFileSync(file, 'utf8');
      const lines = new LineIndex(text);
      const fixed = text.slice(0, lines.offsetAt(edit.range.start)) + edit.newText + text.slice(lines.offsetAt(edit.range.end));
      const cert = new X509Certificate(Buffer.from(parse(fixed).data['tls.crt'], 'base64').toString('utf8'));
      const caSecret = parse(readFileSync(join(root, 'ca-secret.yaml'), 'utf8'));
      const ca = new X509Certificate(Buffer.from(caSecret.data['tls.crt'], 'base64').toString('utf8'));
      assert.equal(cert.subjectAltName, 'DNS:policy-webhook, DNS:policy-webhook.policy, DNS:policy-webhook.policy.svc');
      assert.ok(cert.verify(ca.publicKey));
    } finally {
      await client.shutdown();
    }
  });
});
