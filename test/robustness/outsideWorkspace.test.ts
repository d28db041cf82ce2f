import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import type { Diagnostic, Hover, MarkupContent } from 'vscode-languageserver/node';
import { escapeMarkdown } from '../../server/src/engine/format/markdown';
import { pathToUri } from '../../server/src/lsp/convert';
import { LspTestClient } from '../support/lspClient';
import { missingPeer, OpensslWorkspace } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { fixtureTrees } from '../support/seed';

const skip = missingPeer('openssl');
const PKI = 'etc/kubernetes/pki';
const KUBECONFIG = 'etc/kubernetes/outside.conf';

/**
 * A workspace folder beside a folder it must not read: outside/ holds real,
 * decodable certificates with a CN found nowhere in the workspace, and a
 * kubeconfig in the workspace names them, once by a relative path and once
 * by an absolute path climbing out with ".."; its key is /proc/self/environ.
 */
function workspaceBesideOutside(scratch: string): { workspace: string; outside: string } {
  const workspace = join(scratch, 'workspace');
  const outside = join(scratch, 'outside');
  mkdirSync(join(workspace, 'etc/kubernetes'), { recursive: true });
  mkdirSync(outside);
  const ws = new OpensslWorkspace();
  try {
    const cert = readFileSync(ws.ca('outside', '/CN=outside-the-workspace', { key: ws.ecKey('outside.key') }));
    writeFileSync(join(outside, 'ca.crt'), cert);
    writeFileSync(join(outside, 'client.crt'), cert);
  } finally {
    ws.dispose();
  }
  writeFileSync(
    join(workspace, KUBECONFIG),
    `apiVersion: v1
kind: Config
clusters:
- name: kubernetes
  cluster:
    server: https://192.168.10.10:6443
    certificate-authority: ../../../outside/ca.crt
users:
- name: reader
  user:
    client-certificate: /etc/kubernetes/pki/${'../'.repeat(24)}${outside.slice(1)}/client.crt
    client-key: ${'../'.repeat(24)}proc/self/environ
contexts:
- name: reader@kubernetes
  context:
    cluster: kubernetes
    user: reader
current-context: reader@kubernetes
`,
  );
  return { workspace, outside };
}

const hoverText = (hover: Hover | null) => (hover?.contents as MarkupContent | undefined)?.value ?? '';

describeNeeding('the server reads nothing outside the workspace folders', skip, () => {
  const trees = fixtureTrees(() => undefined);

  it('a hover on a path leading out of the workspace says it is outside and shows nothing of the file there', async () => {
    const { workspace, outside } = workspaceBesideOutside(trees.scratch());
    const client = new LspTestClient();
    const uri = pathToUri(join(workspace, KUBECONFIG));
    const published = client.nextDiagnostics(uri, undefined, 30_000);
    await client.initialize(pathToUri(workspace), { trusted: true });
    try {
      const text = readFileSync(join(workspace, KUBECONFIG), 'utf8');
      await client.open(uri, text, 'yaml');
      const lines = text.split('\n');
      const hoverOn = async (needle: string) => {
        const line = lines.findIndex((l) => l.includes(needle));
        return hoverText(
          await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line, character: lines[line].indexOf(':') + 4 } }),
        );
      };
      const ca = await hoverOn('certificate-authority:');
      assert.match(ca, /^\*\*certificate-authority\*\*/);
      assert.ok(
        ca.includes(
          `✗ ${escapeMarkdown(join(outside, 'ca.crt'))} is outside the workspace folder: kube-pki does not read files there, so it does not show this one`,
        ),
        ca,
      );
      const client_ = await hoverOn('client-certificate:');
      assert.ok(client_.includes(`✗ ${escapeMarkdown(join(outside, 'client.crt'))} is outside the workspace folder`), client_);
      const key = await hoverOn('client-key:');
      assert.ok(key.includes('✗ /proc/self/environ is outside the workspace folder'), key);
      assert.ok(!key.includes('PATH'), 'nothing of the environment');
      for (const hover of [ca, client_, key]) {
        assert.doesNotMatch(hover, /outside-the-workspace|Certificate CN|Subject|expires/, 'nothing of the outside file is decoded');
        assert.doesNotMatch(hover, /not found/);
      }
      // The Problems panel says the same, and offers no fix that would write out there.
      const diagnostics: Diagnostic[] = await published;
      const outsideFindings = diagnostics.filter((d) => /outside the checked folder/.test(String(d.message)));
      assert.deepEqual(
        outsideFindings.map((d) => [d.code, d.range.start.line, d.message]),
        [
          [
            'file-not-found',
            6,
            `../../../outside/ca.crt (certificate-authority) leads to ${join(outside, 'ca.crt')}, outside the checked folder: kube-pki does not read files there`,
          ],
          [
            'file-not-found',
            10,
            `/etc/kubernetes/pki/${'../'.repeat(24)}${outside.slice(1)}/client.crt (client-certificate) leads to ${join(outside, 'client.crt')}, outside the checked folder: kube-pki does not read files there`,
          ],
          [
            'file-not-found',
            11,
            `${'../'.repeat(24)}proc/self/environ (client-key) leads to /proc/self/environ, outside the checked folder: kube-pki does not read files there`,
          ],
        ],
      );
      assert.ok(
        outsideFindings.every((d) => d.data === undefined),
        'no quick fix for a file outside the workspace',
      );
      // Links and go-to-definition never lead out either.
      const links = await client.request<Array<{ target: string }>>('textDocument/documentLink', { textDocument: { uri } });
      assert.ok(
        links.every((l) => !l.target.includes('/outside/')),
        JSON.stringify(links),
      );
    } finally {
      await client.shutdown();
    }
  });

  it('refuses a quick fix whose files lie outside the workspace, whatever the client sends', async () => {
    const scratch = trees.scratch();
    const { workspace, outside } = workspaceBesideOutside(scratch);
    const client = new LspTestClient();
    await client.initialize(pathToUri(workspace), { trusted: true });
    try {
      const ws = (p: string) => join(workspace, PKI, p);
      const base = {
        kind: 'issue-certificate',
        title: 'Generate',
        key: 'new',
        subject: [['CN', 'x']],
        usages: ['clientAuth'],
        sans: [],
        ca: false,
        validityDays: 365,
      };
      const crafted = [
        // Writes out of the workspace, through a ".." that only resolving reveals.
        {
          ...base,
          certPath: `${ws('')}/../../../../outside/new.crt`,
          keyPath: join(outside, 'new.key'),
          signer: { certPath: ws('ca.crt'), keyPath: ws('ca.key') },
        },
        // Reads a signing key out of the workspace to write inside it.
        { ...base, certPath: ws('new.crt'), keyPath: ws('new.key'), signer: { certPath: join(outside, 'ca.crt'), keyPath: '/etc/shadow' } },
        {
          kind: 'kubeconfig-user',
          title: 'Re-issue',
          kubeconfigPath: join(outside, 'admin.conf'),
          user: 'admin',
          subject: [['CN', 'x']],
          signer: { certPath: ws('ca.crt'), keyPath: ws('ca.key') },
          validityDays: 365,
        },
      ];
      for (const fix of crafted) {
        const result = await client.request('workspace/executeCommand', { command: 'kubePki.applyFix', arguments: [fix] });
        assert.deepEqual(result, { written: [], backups: [], cancelled: true, reason: 'outside-workspace' });
      }
      assert.ok(!existsSync(join(outside, 'new.crt')) && !existsSync(join(outside, 'new.key')) && !existsSync(ws('new.crt')) && !existsSync(ws('new.key')));
      await new Promise((r) => setTimeout(r, 100));
      // Each refused path is named, with how it would have been used.
      const told = client.messages.map((m) => m.message).join('\n');
      assert.match(
        told,
        /the certificate \S+\/outside\/new\.crt is outside the workspace folders; kube-pki writes only inside them; the key \S+\/outside\/new\.key is outside the workspace folders; kube-pki writes only inside them\. Nothing was written\./,
      );
      assert.match(
        told,
        /the CA certificate \S+\/outside\/ca\.crt is outside the workspace folders; kube-pki reads only inside them; the CA key \/etc\/shadow is outside the workspace folders; kube-pki reads only inside them\. Nothing was written\./,
      );
    } finally {
      await client.shutdown();
    }
  });
});
