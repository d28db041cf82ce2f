import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { DocumentSymbol, Hover, MarkupContent } from 'vscode-languageserver/node';
import { pathToUri } from '../../server/src/lsp/convert';
import { runCli } from '../support/cli';
import { LspTestClient } from '../support/lspClient';
import { missingPeer, OpensslWorkspace } from '../support/openssl';
import { service } from '../support/service';

const POD = (flags: string[]) => `apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.30.0
    command:
    - kube-apiserver
${flags.map((f) => `    - ${f}`).join('\n')}
    volumeMounts:
    - mountPath: /etc/kubernetes/pki
      name: k8s-certs
  volumes:
  - hostPath:
      path: /etc/kubernetes/pki
    name: k8s-certs
`;

describe('hostile trees: bounded, clear outcomes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-pki-hostile-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports YAML bombs and deep nesting as findings, follows no symlink loop, never leaves the tree', async () => {
    const root = join(dir, 'node');
    mkdirSync(join(root, 'etc/kubernetes/manifests'), { recursive: true });
    mkdirSync(join(root, 'etc/kubernetes/pki'), { recursive: true });
    // A billion-laughs kubeconfig: aliases are never expanded.
    const bomb = ['apiVersion: v1', 'kind: Config', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    bomb.push('clusters: *j', 'users: []');
    writeFileSync(join(root, 'etc/kubernetes/bomb.conf'), bomb.join('\n') + '\n');
    writeFileSync(join(root, 'etc/kubernetes/manifests/deep.yaml'), `apiVersion: v1\nkind: Pod\nspec: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    // Garbage where a certificate should be, and paths that try to leave the tree.
    writeFileSync(join(root, 'etc/kubernetes/pki/apiserver.crt'), Buffer.from([0, 1, 2, 3, 255, 254, 0, 9]));
    writeFileSync(
      join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml'),
      POD([
        '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
        '--client-ca-file=/etc/kubernetes/pki/../../../../../../../../etc/shadow',
        '--etcd-cafile=/etc/kubernetes/pki/outside.crt',
      ]),
    );
    symlinkSync(root, join(root, 'etc/kubernetes/loop'));
    symlinkSync('/etc/hostname', join(root, 'etc/kubernetes/pki/outside.crt'));
    const started = Date.now();
    const report = await service.checkTree(root);
    assert.ok(Date.now() - started < 20_000);
    const summary = report.findings.map((f) => [f.code, f.file.slice(root.length + 1), f.message]);
    assert.deepEqual(summary.map(([code, file]) => `${code} ${file}`).sort(), [
      'file-not-found etc/kubernetes/manifests/kube-apiserver.yaml',
      'path-not-mounted etc/kubernetes/manifests/kube-apiserver.yaml',
      'pem-invalid etc/kubernetes/manifests/kube-apiserver.yaml',
      'yaml-invalid etc/kubernetes/manifests/deep.yaml',
    ]);
    assert.ok(
      summary.some(
        ([, , m]) => m === 'etc/kubernetes/pki/apiserver.crt (from --tls-cert-file in kube-apiserver.yaml): binary data that is neither PEM nor DER',
      ),
    );
    // The traversal normalises to /etc/shadow, which the container cannot see (and which is never read).
    assert.ok(
      summary.some(([, , m]) =>
        /^\/etc\/kubernetes\/pki\/\.\.\/.*etc\/shadow \(--client-ca-file\) is not under any volumeMount of container kube-apiserver/.test(m),
      ),
    );
    assert.ok(
      summary.some(([, , m]) => /^\/etc\/kubernetes\/pki\/outside\.crt \(--etcd-cafile\) does not exist/.test(m)),
      'a link leaving the tree is not followed',
    );
  });

  const MIB = 1048576;
  const LATIN1_COMMENT = Buffer.from('# Zertifikat f\xfcr den API-Server, gepr\xfcft am 1. M\xe4rz\n', 'latin1');

  /**
   * Large and odd files, made with openssl: a certificate with 10,000 SANs, a
   * 50 MB CA bundle, a bundle of 10,000 PEM blocks, Latin-1 (non-UTF-8) text
   * in a certificate file and in the manifest, and a 50 MB manifest.
   */
  function largeTree(): { root: string; manifest: string; caLines: number } {
    const root = join(dir, 'large');
    const pki = join(root, 'etc/kubernetes/pki');
    mkdirSync(join(root, 'etc/kubernetes/manifests'), { recursive: true });
    mkdirSync(pki, { recursive: true });
    const ws = new OpensslWorkspace();
    let caLines = 0;
    try {
      const ca = readFileSync(ws.ca('ca', '/CN=kubernetes'));
      caLines = ca.toString().trimEnd().split('\n').length;
      const sans = [...Array.from({ length: 9_998 }, (_, i) => `DNS:node-${i}.example.com`), 'DNS:kubernetes', 'IP:192.168.10.10'];
      ws.signed('apiserver', '/CN=kube-apiserver', 'ca', [`subjectAltName=${sans.join(',')}`, 'extendedKeyUsage=serverAuth']);
      writeFileSync(join(pki, 'apiserver.crt'), readFileSync(ws.path('apiserver.crt')));
      writeFileSync(join(pki, 'apiserver.key'), readFileSync(ws.path('apiserver.key')), { mode: 0o600 });
      // A real CA first, then 50 MB of text: more than any bundle.
      writeFileSync(join(pki, 'ca.crt'), Buffer.concat([ca, Buffer.alloc(50 * MIB, '# padding\n')]));
      writeFileSync(join(pki, 'bundle.crt'), Buffer.concat(Array(10_000).fill(ca)));
      writeFileSync(join(pki, 'front-proxy-ca.crt'), Buffer.concat([LATIN1_COMMENT, ca]));
    } finally {
      ws.dispose();
    }
    const manifest = join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml');
    writeFileSync(
      manifest,
      Buffer.concat([
        LATIN1_COMMENT,
        Buffer.from(
          POD([
            '--advertise-address=192.168.10.10',
            '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
            '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
            '--client-ca-file=/etc/kubernetes/pki/ca.crt',
            '--etcd-cafile=/etc/kubernetes/pki/bundle.crt',
            '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
          ]),
        ),
      ]),
    );
    writeFileSync(join(root, 'etc/kubernetes/manifests/huge.yaml'), `apiVersion: v1\nkind: Pod\nmetadata:\n  name: huge\n${'# padding\n'.repeat(5 * MIB)}`);
    return { root, manifest, caLines };
  }

  it('bounds 50 MB files, 10,000 SANs, 10,000 PEM blocks and non-UTF-8 text, in the checker, the CLI and the server', {
    skip: missingPeer('openssl'),
  }, async () => {
    const { root, manifest, caLines } = largeTree();
    const lines = readFileSync(manifest, 'latin1').split('\n');
    const lineOf = (flag: string) => lines.findIndex((l) => l.includes(flag));
    let started = Date.now();
    const report = await service.checkTree(root);
    const checkMs = Date.now() - started;
    // The 10,000-SAN certificate decodes (openssl reads it too); the 50 MB and 10,000-block files are bounded.
    const expected = [
      ['pem-invalid', lineOf('--client-ca-file='), 'etc/kubernetes/pki/ca.crt (from --client-ca-file in kube-apiserver.yaml): file too large (50.0 MiB)'],
      [
        'pem-invalid',
        lineOf('--etcd-cafile='),
        `etc/kubernetes/pki/bundle.crt (from --etcd-cafile in kube-apiserver.yaml): block 1001 (line ${1000 * caLines + 1}): not decoded: the file has more than 1000 PEM blocks`,
      ],
    ];
    const summary = report.findings.map((f) => [f.code, f.range.start.line, f.message.replace(/^.*?\) /, '')]);
    assert.deepEqual(
      summary.filter(([code]) => code === 'pem-invalid'),
      expected.map(([code, line, message]) => [code, line, message]),
    );
    const huge = join(root, 'etc/kubernetes/manifests/huge.yaml');
    assert.deepEqual(
      report.findings.filter((f) => f.file !== manifest).map((f) => [f.file, f.code, f.range.start.line, f.message]),
      [[huge, 'file-too-large', 0, 'huge.yaml is 50.0 MiB, over the 4 MiB kube-pki reads of a config file: too large, not read']],
      'the 50 MB manifest is not parsed: it only says so',
    );
    // The Latin-1 comment does not shift ranges: a flag's range is where an editor shows it.
    const finding = report.findings.find((f) => f.message.includes('ca.crt (from --client-ca-file in kube-apiserver.yaml): file too large'))!;
    assert.equal(lines[finding.range.start.line].slice(finding.range.start.character, finding.range.end.character), '/etc/kubernetes/pki/ca.crt');
    assert.ok(!report.findings.some((f) => /front-proxy-ca\.crt/.test(f.message)), 'the Latin-1 text before the block is explanatory text');

    started = Date.now();
    const cli = runCli(['inspect', join(root, 'etc/kubernetes/pki/ca.crt'), join(root, 'etc/kubernetes/pki/front-proxy-ca.crt')]);
    const inspectMs = Date.now() - started;
    assert.match(cli.stdout + cli.stderr, /file too large \(50\.0 MiB; the limit is 16 MiB\)/);
    assert.match(
      cli.stdout,
      /front-proxy-ca\.crt\n {2}# block 1, lines 2-\d+\n {2}CA certificate CN=kubernetes\n/,
      'the Latin-1 line before the block is skipped as explanatory text',
    );

    // The server, with the 50 MB manifest and the 50 MB bundle open in the editor.
    const client = new LspTestClient();
    try {
      await client.initialize(pathToUri(root), { trusted: true });
      const hugeUri = pathToUri(join(root, 'etc/kubernetes/manifests/huge.yaml'));
      await client.open(hugeUri, readFileSync(join(root, 'etc/kubernetes/manifests/huge.yaml'), 'utf8'), 'yaml');
      const bundleUri = pathToUri(join(root, 'etc/kubernetes/pki/ca.crt'));
      await client.open(bundleUri, readFileSync(join(root, 'etc/kubernetes/pki/ca.crt'), 'utf8'), 'pem');
      const uri = pathToUri(manifest);
      await client.open(uri, readFileSync(manifest, 'utf8'), 'yaml');
      started = Date.now();
      const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: lineOf('--tls-cert-file='), character: 30 } });
      const hoverMs = Date.now() - started;
      const hoverText = (hover.contents as MarkupContent).value;
      assert.match(
        hoverText,
        /\nSANs: DNS:node-0\.example\.com, [^\n]*DNS:node-49\.example\.com, … and 9950 more( {2}\n|\n\n|$)/,
        'the hover lists 50 SANs and counts the rest',
      );
      assert.ok(hoverText.length < 20_000, `a bounded hover (${hoverText.length} characters)`);
      started = Date.now();
      const outline = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: hugeUri } });
      const outlineMs = Date.now() - started;
      assert.deepEqual(outline, []);
      const pemHover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: bundleUri }, position: { line: 1, character: 1 } });
      assert.match((pemHover.contents as MarkupContent).value, /^\*\*CA certificate CN=kubernetes\*\*/, 'the editor decodes the text it has open');
      process.stdout.write(
        `# large inputs: check ${checkMs} ms, inspect ${inspectMs} ms, server hover with 2×50 MB open ${hoverMs} ms, outline of the 50 MB YAML ${outlineMs} ms\n`,
      );
      assert.ok(hoverMs < 60_000 && outlineMs < 5_000, 'the server answers');
    } finally {
      await client.shutdown();
    }
  });
});
