import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import type { CodeLens, CompletionItem, DocumentLink, DocumentSymbol, Hover, Location, MarkupContent } from 'vscode-languageserver/node';
import { pathToUri } from '../../server/src/lsp/convert';
import { makeKubeadmNode } from '../support/clusterFixture';
import { LspTestClient } from '../support/lspClient';
import { missingPeer } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { edit, fixtureTrees } from '../support/seed';

const skip = missingPeer('openssl');
const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';

async function withServer(
  root: string,
  file: string,
  run: (client: LspTestClient, uri: string, lines: string[]) => Promise<void>,
  options: object = { trusted: true },
): Promise<void> {
  const client = new LspTestClient();
  await client.initialize(pathToUri(root), options);
  const uri = pathToUri(join(root, file));
  const text = readFileSync(join(root, file), 'utf8');
  await client.open(uri, text, 'yaml');
  try {
    await run(client, uri, text.split('\n'));
  } finally {
    await client.shutdown();
  }
}

const hoverText = (hover: Hover | null) => (hover?.contents as MarkupContent | undefined)?.value ?? '';
const lineOf = (lines: string[], needle: string) => lines.findIndex((l) => l.includes(needle));

describeNeeding('editor features on cluster configuration, through the language server', skip, () => {
  const trees = fixtureTrees((root) => makeKubeadmNode(root));

  it('hovers --tls-cert-file: the verdicts first (who signed it, who verifies it, its key, its expiry), then the essential fields, then the rest', async () => {
    await withServer(trees.clean(), APISERVER, async (client, uri, lines) => {
      const line = lineOf(lines, '--tls-cert-file=');
      const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line, character: 30 } });
      const text = hoverText(hover);
      const [verdicts, fields, rest] = text.split('\n\n');
      const verdictLines = verdicts.split('  \n');
      assert.equal(verdictLines[0], '**--tls-cert-file** · API server serving certificate (kube-apiserver)');
      assert.equal(verdictLines[1], '✓ signed by etc/kubernetes/pki/ca.crt');
      // Its verifiers are its clients (the kubeconfigs, the CA published to pods), not the flags that verify client certificates.
      assert.equal(
        verdictLines[2],
        'Verified by: admin.conf (cluster kubernetes), controller-manager.conf (cluster kubernetes), kubelet.conf (cluster kubernetes), ' +
          'scheduler.conf (cluster kubernetes), super-admin.conf (cluster kubernetes), --root-ca-file of kube-controller-manager',
      );
      assert.doesNotMatch(text, /client-ca-file/);
      assert.deepEqual(verdictLines.slice(3), ['✓ its key matches: apiserver.key (from --tls-private-key-file in kube-apiserver.yaml)', verdictLines[4]]);
      assert.match(verdictLines[4], /^✓ expires in 36[45] days$/);
      const fieldLines = fields.split('  \n');
      assert.deepEqual(fieldLines.slice(0, 2), [
        '**Certificate CN=kube-apiserver**',
        'File: /etc/kubernetes/pki/apiserver.crt → etc/kubernetes/pki/apiserver.crt',
      ]);
      assert.match(fieldLines[2], /^Validity: \d{4}-\d\d-\d\d → \d{4}-\d\d-\d\d$/);
      assert.match(fieldLines[3], /^SANs: DNS:cp-1, DNS:kubernetes, .*IP:10\.96\.0\.1, IP:192\.168\.10\.10$/);
      assert.deepEqual(fieldLines.slice(4), ['EKU: serverAuth']);
      // The public key's SHA-256 (the key's hover shows it) is with the rest, whole.
      assert.match(rest, /\nPublic key SHA-256: `[0-9A-F:]{95}`/);
      // A client without the preview link (this one, Neovim, Helix) gets the other fields below; hex in code spans.
      assert.match(rest, /^Issuer: CN=kubernetes {2}\n/);
      assert.match(rest, /\nSHA-256 fingerprint: `[0-9A-F:]{95}`/);
      const column = lines[line].indexOf('/etc/');
      assert.deepEqual(hover.range, { start: { line, character: column }, end: { line, character: column + '/etc/kubernetes/pki/apiserver.crt'.length } });
    });
  });

  it('hovers a key flag with public facts and whether it matches its certificate, never the key', async () => {
    await withServer(trees.clean(), APISERVER, async (client, uri, lines) => {
      const hover = await client.request<Hover>('textDocument/hover', {
        textDocument: { uri },
        position: { line: lineOf(lines, '--tls-private-key-file='), character: 35 },
      });
      const text = hoverText(hover);
      assert.match(
        text,
        /^\*\*--tls-private-key-file\*\* · API server serving private key \(kube-apiserver\) {2}\n✓ matches apiserver\.crt \(from --tls-cert-file in kube-apiserver\.yaml\) {2}\nℹ private key: contents not shown\n\n\*\*RSA private key 2048\*\* {2}\n/,
      );
      const body = readFileSync(join(trees.clean(), 'etc/kubernetes/pki/apiserver.key'), 'utf8').split('\n')[3];
      assert.ok(!text.includes(body.slice(0, 24)));
    });
  });

  it('hovers the finding on a broken reference next to the decoded file', async () => {
    const root = trees.seeded((r) => edit(r, APISERVER, (t) => t.replace('--advertise-address=192.168.10.10', '--advertise-address=192.168.10.50')));
    await withServer(root, APISERVER, async (client, uri, lines) => {
      const hover = await client.request<Hover>('textDocument/hover', {
        textDocument: { uri },
        position: { line: lineOf(lines, '--tls-cert-file='), character: 30 },
      });
      assert.match(
        hoverText(hover),
        /^\*\*--tls-cert-file\*\* [^\n]* {2}\n✗ apiserver\.crt \(from --tls-cert-file in kube-apiserver\.yaml\) has no SAN 192\.168\.10\.50, the --advertise-address \(san-missing\) {2}\n✓ signed by /,
      );
    });
  });

  it("in VS Code: the finding is left to the editor's problem hover above, and the other fields are behind a link to the preview", async () => {
    const root = trees.seeded((r) => edit(r, APISERVER, (t) => t.replace('--advertise-address=192.168.10.10', '--advertise-address=192.168.10.50')));
    const vscodeClient = { trusted: true, commandLinks: true, hoverShowsDiagnostics: true };
    await withServer(
      root,
      APISERVER,
      async (client, uri, lines) => {
        const hover = await client.request<Hover>('textDocument/hover', {
          textDocument: { uri },
          position: { line: lineOf(lines, '--tls-cert-file='), character: 30 },
        });
        const text = hoverText(hover);
        assert.match(text, /^\*\*--tls-cert-file\*\* [^\n]* {2}\n✓ signed by /);
        assert.doesNotMatch(text, /san-missing|fingerprint|Issuer/);
        const link = `[Show all fields](command:kubePki.previewCertificate?${encodeURIComponent(JSON.stringify([pathToUri(join(root, 'etc/kubernetes/pki/apiserver.crt'))]))})`;
        assert.ok(text.endsWith(`\n\n${link}`), text);
      },
      vscodeClient,
    );
  });

  it('says once, with its code, that a referenced file is missing', async () => {
    const root = trees.seeded((r) =>
      edit(r, APISERVER, (t) => t.replace('--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--tls-cert-file=/etc/kubernetes/pki/gone.crt')),
    );
    await withServer(root, APISERVER, async (client, uri, lines) => {
      const hover = await client.request<Hover>('textDocument/hover', {
        textDocument: { uri },
        position: { line: lineOf(lines, '--tls-cert-file='), character: 30 },
      });
      const problems = hoverText(hover)
        .split('\n')
        .filter((l) => l.startsWith('✗'));
      assert.equal(problems.length, 1, hoverText(hover));
      assert.match(problems[0], /gone\.crt.*\(file-not-found\)( {2})?$/);
    });
  });

  it('hovers kubeconfig *-data decoded from base64', async () => {
    await withServer(trees.clean(), 'etc/kubernetes/admin.conf', async (client, uri, lines) => {
      const hover = await client.request<Hover>('textDocument/hover', {
        textDocument: { uri },
        position: { line: lineOf(lines, 'client-certificate-data:'), character: 40 },
      });
      const text = hoverText(hover);
      assert.match(text, /^\*\*client-certificate-data\*\* · client certificate \(base64\) \(kubeconfig\) {2}\n/);
      assert.match(text, /\n\n\*\*Certificate O=kubeadm:cluster-admins, CN=kubernetes-admin\*\* {2}\nValidity: /);
    });
  });

  it('links every resolved path, and goes to its definition', async () => {
    await withServer(trees.clean(), APISERVER, async (client, uri, lines) => {
      const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri } });
      const line = lineOf(lines, '--etcd-cafile=');
      const link = links.find((l) => l.range.start.line === line)!;
      assert.equal(link.target, pathToUri(join(trees.clean(), 'etc/kubernetes/pki/etcd/ca.crt')));
      assert.equal(links.length, 13, 'every cert, key and CA flag of the manifest');
      const definition = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: { line, character: 25 } });
      assert.deepEqual(
        definition.map((d) => d.uri),
        [link.target],
      );
    });
  });

  it('completes flag names with their role, and file paths of the right kind as node paths', async () => {
    await withServer(trees.clean(), APISERVER, async (client, uri, lines) => {
      const line = lineOf(lines, '--tls-cert-file=');
      const flags = await client.request<CompletionItem[]>('textDocument/completion', {
        textDocument: { uri },
        position: { line, character: '    - --tls'.length },
      });
      assert.deepEqual(
        flags.map((c) => c.label),
        ['--tls-cert-file', '--tls-private-key-file', '--tls-sni-cert-key'],
      );
      assert.equal(flags[0].detail, 'serving-cert: API server serving certificate');
      const keyLine = lineOf(lines, '--tls-private-key-file=');
      const keys = await client.request<CompletionItem[]>('textDocument/completion', {
        textDocument: { uri },
        position: { line: keyLine, character: '    - --tls-private-key-file='.length },
      });
      assert.ok(
        keys.length > 5 && keys.every((k) => /^\/(etc|var)\/.+\.key$/.test(k.label)) && keys.some((k) => k.label === '/etc/kubernetes/pki/apiserver.key'),
        keys.map((k) => k.label).join(' '),
      );
      const certs = await client.request<CompletionItem[]>('textDocument/completion', {
        textDocument: { uri },
        position: { line, character: '    - --tls-cert-file='.length },
      });
      assert.ok(certs.some((c) => c.label === '/etc/kubernetes/pki/apiserver.crt') && certs.every((c) => /\.(crt|pem)$/.test(c.label)));
    });
  });

  it('shows a code lens with CN and expiry over each certificate reference, unless turned off', async () => {
    await withServer(trees.clean(), APISERVER, async (client, uri, lines) => {
      const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      const line = lineOf(lines, '--tls-cert-file=');
      assert.match(lenses.find((l) => l.range.start.line === line)!.command!.title, /^CN=kube-apiserver · expires in 36[45] d$/);
      assert.match(lenses.find((l) => l.range.start.line === lineOf(lines, '--client-ca-file='))!.command!.title, /^CN=kubernetes · expires in 36\d\d d$/);
    });
    await withServer(
      trees.clean(),
      APISERVER,
      async (client, uri) => {
        assert.deepEqual(await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }), []);
      },
      { trusted: true, codeLens: false },
    );
  });

  it('outlines a kubeconfig by clusters, users and contexts', async () => {
    await withServer(trees.clean(), 'etc/kubernetes/admin.conf', async (client, uri) => {
      const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.deepEqual(
        symbols.map((s) => [s.name, s.children!.map((c) => `${c.name} | ${c.detail}`)]),
        [
          ['clusters', ['kubernetes | https://192.168.10.10:6443']],
          ['users', ['kubernetes-admin | embedded certificate']],
          ['contexts', ['kubernetes-admin@kubernetes | kubernetes-admin@kubernetes (current)']],
        ],
      );
    });
  });
});

describeNeeding('settings: rule severities', skip, () => {
  const trees = fixtureTrees((root) => makeKubeadmNode(root));

  it('turns a rule off or changes its severity', async () => {
    const root = trees.seeded((r) => edit(r, APISERVER, (t) => t.replace('--advertise-address=192.168.10.10', '--advertise-address=192.168.10.60')));
    const uri = pathToUri(join(root, APISERVER));
    const client = new LspTestClient();
    const first = client.nextDiagnostics(uri, undefined, 20_000);
    await client.initialize(pathToUri(root), { trusted: true, ruleSeverities: { 'san-missing': 'warning' } });
    try {
      assert.deepEqual(
        (await first).map((d) => [d.code, d.severity]),
        [['san-missing', 2]],
      );
      const off = client.nextDiagnostics(uri, undefined, 20_000);
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kubePki: { rules: { 'san-missing': 'off' } } } });
      assert.deepEqual(await off, []);
    } finally {
      await client.shutdown();
    }
  });
});

describeNeeding('the "Kubernetes PKI" explorer view data', skip, () => {
  const trees = fixtureTrees((root) => makeKubeadmNode(root));

  it('lists every CA with the certificates it signed, their roles and expiry', async () => {
    const client = new LspTestClient();
    await client.initialize(pathToUri(trees.clean()), { trusted: true });
    try {
      const [tree] = await client.request<
        Array<{
          cas: Array<{
            role: string;
            subject: string;
            status: string;
            signed: Array<{ role: string; subject: string; user?: string; roles: string[]; expiry: string }>;
          }>;
          orphans: unknown[];
        }>
      >('kubePki/pkiTree', {});
      // Sorted by role, kubeadm's names: the cluster CA is "ca".
      assert.deepEqual(
        tree.cas.map((ca) => [ca.role, ca.subject, ca.status]),
        [
          ['ca', 'CN=kubernetes', 'ok'],
          ['etcd-ca', 'CN=etcd-ca', 'ok'],
          ['front-proxy-ca', 'CN=front-proxy-ca', 'ok'],
        ],
      );
      const kubernetes = tree.cas[0];
      const apiserver = kubernetes.signed.find((c) => c.subject === 'CN=kube-apiserver')!;
      assert.deepEqual(apiserver.roles, ['--tls-cert-file of kube-apiserver']);
      assert.match(apiserver.expiry, /^expires in 36[45] days$/);
      assert.deepEqual(
        kubernetes.signed
          .filter((c) => c.user)
          .map((c) => c.user)
          .sort(),
        ['kubernetes-admin', 'kubernetes-super-admin', 'system:kube-controller-manager', 'system:kube-scheduler'],
      );
      // kubelet.conf names its rotated client certificate by path: listed as that file, with its role.
      assert.deepEqual(kubernetes.signed.find((c) => c.subject === 'O=system:nodes, CN=system:node:cp-1')?.roles, ['client-certificate of system:node:cp-1']);
      // Two certificates with CN=cp-1, told apart by their roles.
      assert.deepEqual(
        tree.cas[1].signed.map((c) => [c.role, c.subject]),
        [
          ['apiserver-etcd-client', 'CN=kube-apiserver-etcd-client'],
          ['etcd peer', 'CN=cp-1'],
          ['etcd server', 'CN=cp-1'],
        ],
      );
      assert.deepEqual(tree.orphans, []);
    } finally {
      await client.shutdown();
    }
  });
});
