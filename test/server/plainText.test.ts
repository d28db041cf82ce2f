import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeLens, Diagnostic, DocumentSymbol, Hover, MarkupContent } from 'vscode-languageserver/node';
import { pathToUri } from '../../server/src/lsp/convert';
import { HOSTILE_CN_SHOWN, hostileCertificate, RAW_UNSAFE } from '../support/hostileText';
import { LspTestClient } from '../support/lspClient';

// The hostile CN in hover Markdown.
// Only what Markdown would interpret is escaped (the escapes' backslashes, `[` and `]`, the `$(` of an icon).
const HOSTILE_CN_MARKDOWN =
  'evil\\\\x1b\\]0;TITLE\\\\x07\\\\x1b\\[2J\\\\u202egnp.exe\\\\x0aFAKE LINE\\\\x09$\\(alert)\\\\u200b\\\\u061c\\\\u2028\\\\x85\\\\x7f\\\\ufeff';

function assertInert(value: unknown, what: string): void {
  const text = JSON.stringify(value);
  const raw = RAW_UNSAFE.exec(text);
  assert.equal(raw, null, `${what} holds a raw U+${raw?.[0].charCodeAt(0).toString(16).padStart(4, '0')}: ${text}`);
}

describe('plain text is plain: the language server shows untrusted text escaped', () => {
  const root = mkdtempSync(join(tmpdir(), 'kube-pki-plain-lsp-'));
  const certPath = join(root, 'evil.crt');
  const kubeconfigPath = join(root, 'admin.conf');
  const kubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: "c\\u001b[2J$(alert)"
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority: evil.crt
users:
- name: "u\\u202e\\n"
  user:
    client-certificate: "gone\\u001b]0;T\\u0007\\u202e.crt"
    client-key: gone.key
contexts:
- name: x
  context: {cluster: "c\\u001b[2J$(alert)", user: "u\\u202e\\n"}
current-context: x
`;

  before(async () => {
    // Expiring in 10 days: the PEM document's expiry diagnostic carries the subject.
    writeFileSync(certPath, (await hostileCertificate(10)).cert);
    writeFileSync(kubeconfigPath, kubeconfig);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  describe('a PEM document', () => {
    const client = new LspTestClient();
    const uri = pathToUri(certPath);
    let published: Promise<Diagnostic[]>;
    before(async () => {
      await client.initialize();
      published = client.nextDiagnostics(uri);
      await client.open(uri, readFileSync(certPath, 'utf8'));
    });
    after(async () => assert.equal(await client.shutdown(), 0));

    it('diagnostics: the expiry message names the CN escaped, on one line', async () => {
      const [expiring, ...others] = await published;
      assert.deepEqual(others, []);
      assert.equal(expiring.code, 'cert-expiring-soon');
      const message = expiring.message as string;
      assert.match(message, /: expires in (9|10) days$/);
      assert.equal(message.replace(/: expires in (9|10) days$/, ''), `CA certificate CN=${HOSTILE_CN_SHOWN}`);
    });

    it('hover: the escapes are shown as text in the Markdown, nothing raw', async () => {
      const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 0 } });
      const markdown = (hover.contents as MarkupContent).value;
      assertInert(markdown, 'hover');
      // The title names the subject, then the verdicts (expiring in 10 days): the subject is not repeated.
      const [title, verdict] = markdown.split('\n');
      assert.equal(title, `**CA certificate CN=${HOSTILE_CN_MARKDOWN}**  `);
      assert.match(verdict, /^⚠ expires in (9|10) days {2}$/);
    });

    it('document symbols: the name is the escaped title', async () => {
      const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.deepEqual(
        symbols.map((s) => [s.name, s.detail]),
        [[`CA certificate CN=${HOSTILE_CN_SHOWN}`, 'CERTIFICATE']],
      );
    });
  });

  describe('a kubeconfig in a checked workspace', () => {
    const client = new LspTestClient();
    const uri = pathToUri(kubeconfigPath);
    let problems: Map<string, Diagnostic[]>;
    before(async () => {
      await client.initialize(pathToUri(root), { trusted: true });
      await client.open(uri, kubeconfig, 'yaml');
      problems = await client.settle(500);
    });
    after(async () => assert.equal(await client.shutdown(), 0));

    it('code lens: the CN escaped, its $(icon) shown as text', async () => {
      const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      assert.equal(lenses.length, 1);
      assert.match(
        lenses[0].command!.title,
        /^CN=evil\\x1b\]0;TITLE\\x07\\x1b\[2J\\u202egnp\.exe\\x0aFAKE LINE\\x09\\\$\(alert\)\\u200b\\u061c\\u2028\\x85\\x7f\\ufeff · expires in (9|10) d$/,
      );
    });

    it('outline: cluster and user names, paths and contexts escaped', async () => {
      const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.deepEqual(
        symbols.map((s) => [s.name, s.children!.map((c) => `${c.name} | ${c.detail}`)]),
        [
          ['clusters', ['c\\x1b[2J$(alert) | https://127.0.0.1:6443']],
          ['users', ['u\\u202e\\x0a | gone\\x1b]0;T\\x07\\u202e.crt']],
          ['contexts', ['x | u\\u202e\\x0a@c\\x1b[2J$(alert) (current)']],
        ],
      );
    });

    it("the checker's diagnostics: a crafted path is escaped in the message", () => {
      const diagnostics: Diagnostic[] = problems.get(uri) ?? [];
      assertInert(diagnostics, 'diagnostics');
      assert.ok(
        diagnostics.some(
          (d) =>
            d.code === 'file-not-found' &&
            d.message === 'gone\\x1b]0;T\\x07\\u202e.crt (client-certificate) does not exist: looked for gone\\x1b]0;T\\x07\\u202e.crt',
        ),
        JSON.stringify(diagnostics),
      );
    });
  });
});
