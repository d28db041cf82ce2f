import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { DocumentSymbol, FoldingRange, Hover, MarkupContent } from 'vscode-languageserver/node';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-languageserver/node';
import { LspTestClient } from '../support/lspClient';
import { missingPeer, OpensslWorkspace } from '../support/openssl';
import { describeNeeding, SERVER } from '../support/paths';

const skip = missingPeer('openssl');

describeNeeding('language server over stdio: PEM documents', skip, () => {
  const ws = new OpensslWorkspace();
  const client = new LspTestClient();
  let bundle: string;
  const uri = 'file:///workspace/pki/bundle.pem';

  before(async () => {
    ws.ca('ca', '/CN=kubernetes');
    ws.signed('apiserver', '/CN=kube-apiserver', 'ca', ['extendedKeyUsage=serverAuth', 'subjectAltName=DNS:kubernetes,IP:10.96.0.1']);
    ws.signed('evil', '/O=<img src=x onerror=alert(1)>/CN=[click me](command:workbench.action.terminal.new)', 'ca', []);
    // Leading explanatory text, a cert, a key, then a broken block: the layout users paste.
    bundle = `subject=CN=kube-apiserver\n${ws.read('apiserver.crt')}${ws.read('apiserver.key')}-----BEGIN CERTIFICATE-----\nMIIB$$$\n-----END CERTIFICATE-----\n`;
    const capabilities = await client.initialize();
    assert.deepEqual(Object.keys((capabilities as { capabilities: object }).capabilities).sort(), [
      'codeActionProvider',
      'codeLensProvider',
      'completionProvider',
      'definitionProvider',
      'documentLinkProvider',
      'documentSymbolProvider',
      'executeCommandProvider',
      'foldingRangeProvider',
      'hoverProvider',
      'textDocumentSync',
    ]);
  });
  after(async () => {
    assert.equal(await client.shutdown(), 0);
    ws.dispose();
  });

  const lines = () => bundle.split('\n');
  const lineOf = (needle: string, from = 0) => lines().findIndex((l, i) => i >= from && l.includes(needle));

  it('publishes a diagnostic on the broken block only, on its BEGIN line', async () => {
    const diagnostics = client.nextDiagnostics(uri);
    await client.open(uri, bundle);
    const broken = lineOf('-----BEGIN CERTIFICATE-----', lineOf('END RSA PRIVATE KEY'));
    assert.deepEqual(await diagnostics, [
      {
        range: { start: { line: broken, character: 0 }, end: { line: broken, character: 27 } },
        severity: 1,
        code: 'pem-invalid-block',
        source: 'kube-pki',
        message: `CERTIFICATE block: invalid base64 on line ${broken + 2}: unexpected "$"`,
      },
    ]);
  });

  it('hovers a certificate block with its decoded summary', async () => {
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 3 } });
    const markdown = (hover.contents as MarkupContent).value;
    assert.equal((hover.contents as MarkupContent).kind, 'markdown');
    assert.match(markdown, /^\*\*Certificate CN=kube-apiserver\*\* {2}\n✓ expires in 36[45] days\n\nValidity: /);
    assert.match(markdown, /\nSANs: DNS:kubernetes, IP:10\.96\.0\.1 {2}\n/);
    assert.deepEqual(hover.range?.start, { line: 1, character: 0 });
  });

  it('hovers a key with public facts only', async () => {
    const keyLine = lineOf('BEGIN RSA PRIVATE KEY') + 2;
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: keyLine, character: 1 } });
    const markdown = (hover.contents as MarkupContent).value;
    assert.match(markdown, /^\*\*RSA private key 2048\*\*/);
    assert.ok(!markdown.includes(lines()[keyLine].slice(0, 20)), 'no key material in the hover');
  });

  it('returns no hover outside blocks', async () => {
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } }), null);
  });

  it('outlines one symbol per block, named by what it is, and folds each block', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(
      symbols.map((s) => [s.name, s.detail]),
      [
        ['Certificate CN=kube-apiserver', 'CERTIFICATE'],
        ['RSA private key 2048', 'RSA PRIVATE KEY'],
        ['Invalid CERTIFICATE block', 'CERTIFICATE'],
      ],
    );
    const folds = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    assert.deepEqual(
      folds.map((f) => f.startLine),
      [1, lineOf('BEGIN RSA PRIVATE KEY'), lineOf('-----BEGIN CERTIFICATE-----', lineOf('END RSA PRIVATE KEY'))],
    );
  });

  it('updates diagnostics when the document is fixed', async () => {
    const diagnostics = client.nextDiagnostics(uri, 2);
    await client.change(uri, ws.read('apiserver.crt'), 2);
    assert.deepEqual(await diagnostics, []);
  });

  it('renders crafted certificate fields as inert text', async () => {
    const evilUri = 'file:///workspace/evil.crt';
    const published = client.nextDiagnostics(evilUri);
    await client.open(evilUri, ws.read('evil.crt'));
    await published;
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: evilUri }, position: { line: 1, character: 1 } });
    const markdown = (hover.contents as MarkupContent).value;
    assert.doesNotMatch(markdown, /(^|[^\\])\]\(command:/, 'no live command link: every ] is escaped');
    assert.doesNotMatch(markdown, /(^|[^\\])<img/, 'no raw HTML: every < is escaped');
    assert.match(markdown, /O=\\<img src=x onerror=alert\(1\)>/);
    assert.match(markdown, /\\\[click me\\\]\(command:workbench/);
  });
});

describe('language server over Node IPC (how the VS Code client starts it)', () => {
  it('initializes and answers a hover', async () => {
    const child = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    const init = (await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} })) as { serverInfo: { name: string } };
    assert.equal(init.serverInfo.name, 'kube-pki-language-server');
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: 'file:///x.pem', languageId: 'pem', version: 1, text: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' },
    });
    const hover = (await connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///x.pem' }, position: { line: 1, character: 0 } })) as {
      contents: { value: string };
    };
    assert.match(hover.contents.value, /^\*\*Invalid CERTIFICATE block\*\* {2}\n✗ not a valid certificate: Data does not match to Certificate ASN1 schema/);
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    assert.equal(await exited, 0);
    connection.dispose();
  });
});
