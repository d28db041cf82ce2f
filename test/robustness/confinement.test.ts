import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CodeAction } from 'vscode-languageserver/node';
import { pathToUri } from '../../server/src/lsp/convert';
import { LspTestClient } from '../support/lspClient';
import { CLI, REPO_ROOT } from '../support/paths';
import { fixtureTrees } from '../support/seed';

/**
 * Attacks on confinement, each as a crafted workspace or crafted arguments
 * would make it: the assertion is always that the folder outside is as it
 * was (no file written, none read into the editor), and that the user is told.
 */

const EXAMPLE = join(REPO_ROOT, 'examples', 'cluster');
const PKI = 'etc/kubernetes/pki';

/** Everything under a folder, with content, to compare before and after. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const rel = `${prefix}${entry.name}`;
      if (entry.isDirectory()) walk(join(d, entry.name), `${rel}/`);
      else out[rel] = readFileSync(join(d, entry.name)).toString('base64');
    }
  };
  walk(dir, '');
  return out;
}

/** The example cluster as a workspace, and beside it a folder the workspace must not touch, holding a CA and a CSR. */
function workspaceAndOutside(scratch: string): { ws: string; outside: string } {
  const ws = join(scratch, 'ws');
  const outside = join(scratch, 'outside');
  cpSync(EXAMPLE, ws, { recursive: true });
  mkdirSync(outside);
  for (const f of ['ca.crt', 'ca.key']) copyFileSync(join(ws, PKI, f), join(outside, f));
  const csr = spawnSync(process.execPath, [CLI, 'gen', 'csr', '--cn', 'evil', '--key-type', 'ECDSA-P256', '--out', join(outside, 'evil')], {
    encoding: 'utf8',
  });
  assert.equal(csr.status, 0, csr.stderr);
  return { ws, outside };
}

async function serverOn(ws: string, trusted = true): Promise<LspTestClient> {
  const client = new LspTestClient();
  await client.initialize(pathToUri(ws), { trusted });
  return client;
}

const execute = <T>(client: LspTestClient, command: string, args: unknown) => client.request<T>('workspace/executeCommand', { command, arguments: [args] });

describe('confinement: no request, command or fix reads or writes outside the workspace', () => {
  const trees = fixtureTrees(() => undefined);

  it('judges every path argument of a generation command, not the first one set', async () => {
    const { ws, outside } = workspaceAndOutside(trees.scratch());
    const before = snapshot(outside);
    const client = await serverOn(ws);
    try {
      const p = { keyType: 'ECDSA-P256' };
      const attacks: Array<[string, Record<string, unknown>]> = [
        // outDir inside, but pkiDir (what is written) outside: it signed with the outside CA and wrote apiserver.crt/.key there.
        ['kubePki.generateCert', { outDir: ws, pkiDir: outside, profile: 'apiserver', params: p }],
        ['kubePki.server.createCsr', { outDir: ws, prefix: join(outside, 'planted'), subject: [['CN', 'x']], sans: [], params: p }],
        ['kubePki.server.signCsr', { csrPath: join(outside, 'evil.csr'), caCertPath: join(ws, PKI, 'ca.crt'), outPath: join(outside, 'evil.crt') }],
        // Everything written inside, but the CA key that signs is read from outside.
        [
          'kubePki.server.signCsr',
          {
            csrPath: join(ws, PKI, '../../../README.md'),
            caCertPath: join(outside, 'ca.crt'),
            caKeyPath: join(outside, 'ca.key'),
            outPath: join(ws, 'signed.crt'),
          },
        ],
        ['kubePki.generatePki', { outDir: `${ws}/../outside/node`, params: p }],
        // Not a path at all.
        ['kubePki.server.signCsr', { csrPath: { toString: 'x' }, caCertPath: join(ws, PKI, 'ca.crt') }],
      ];
      for (const [command, args] of attacks) {
        const result = await execute<{ written: string[]; error?: string }>(client, command, args);
        assert.deepEqual(result, { written: [], error: 'outside-workspace' }, `${command} ${JSON.stringify(args)}`);
      }
      assert.deepEqual(snapshot(outside), before, 'nothing written outside');
      assert.ok(!existsSync(join(ws, 'signed.crt')), 'the outside CA key signed nothing');
      await new Promise((r) => setTimeout(r, 100));
      const told = client.messages.map((m) => m.message).join('\n');
      assert.match(told, /the PKI folder \S+\/outside is outside the workspace folders; kube-pki writes only inside them\. Nothing was written\./);
      assert.match(
        told,
        /the CA certificate \S+\/outside\/ca\.crt is outside the workspace folders; kube-pki reads only inside them; the CA key \S+\/outside\/ca\.key is outside the workspace folders; kube-pki reads only inside them\. Nothing was written\./,
      );
      assert.match(told, /the CSR must be a path/);
    } finally {
      await client.shutdown();
    }
  });

  it('a quick fix never writes through a folder symlinked out of the workspace (kube-apiserver names pki/etcd/*, pki/etcd leads outside)', async () => {
    const { ws, outside } = workspaceAndOutside(trees.scratch());
    const etcdOutside = join(outside, 'etcd');
    renameSync(join(ws, PKI, 'etcd'), etcdOutside);
    rmSync(etcdOutside, { recursive: true });
    mkdirSync(etcdOutside);
    symlinkSync(etcdOutside, join(ws, PKI, 'etcd'));
    const before = snapshot(outside);
    const client = await serverOn(ws);
    try {
      client.answer = 'Create CA';
      // Every quick fix the Problems panel offers for the missing etcd files, as a user would click them.
      const problems = await client.settle(500);
      let offered = 0;
      for (const [uri, diagnostics] of problems) {
        for (const diagnostic of diagnostics.filter((d) => d.code === 'file-not-found' && String(d.message).includes('etcd/'))) {
          const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
            textDocument: { uri },
            range: diagnostic.range,
            context: { diagnostics: [diagnostic] },
          });
          for (const action of actions) {
            offered++;
            const result = await client.request<{ written: string[]; reason?: string }>('workspace/executeCommand', {
              command: action.command!.command,
              arguments: action.command!.arguments,
            });
            assert.deepEqual(result.written, [], action.title);
            assert.equal(result.reason, 'outside-workspace');
          }
        }
      }
      assert.ok(offered > 0, `quick fixes are offered (and refused when run): ${JSON.stringify([...problems.values()].flat().map((d) => d.message))}`);
      assert.deepEqual(snapshot(outside), before, 'no ca.crt, ca.key, server.crt or server.key written outside');
      await new Promise((r) => setTimeout(r, 100));
      assert.match(
        client.messages.map((m) => m.message).join('\n'),
        /etc\/kubernetes\/pki\/etcd\/ca\.crt is outside the workspace folders \(it leads to \S+\/outside\/etcd\/ca\.crt\); kube-pki writes only inside them/,
      );
    } finally {
      await client.shutdown();
    }
  });

  it('a replace whose target is a symlink leading outside is refused, and nothing of the outside file is copied in as a backup', async () => {
    const { ws, outside } = workspaceAndOutside(trees.scratch());
    writeFileSync(join(outside, 'victim.crt'), 'the outside file\n');
    rmSync(join(ws, PKI, 'apiserver.crt'));
    symlinkSync(join(outside, 'victim.crt'), join(ws, PKI, 'apiserver.crt'));
    const before = snapshot(outside);
    const client = await serverOn(ws);
    client.answer = 'Replace';
    try {
      const fix = {
        kind: 'issue-certificate',
        title: 'Re-issue apiserver.crt',
        certPath: join(ws, PKI, 'apiserver.crt'),
        keyPath: join(ws, PKI, 'apiserver.key'),
        key: 'keep',
        subject: [['CN', 'kube-apiserver']],
        usages: ['serverAuth'],
        sans: ['kubernetes'],
        ca: false,
        validityDays: 365,
        signer: { certPath: join(ws, PKI, 'ca.crt'), keyPath: join(ws, PKI, 'ca.key') },
      };
      const result = await execute<{ written: string[]; backups: string[]; reason?: string }>(client, 'kubePki.applyFix', fix);
      assert.deepEqual(result, { written: [], backups: [], cancelled: true, reason: 'outside-workspace' });
      assert.deepEqual(snapshot(outside), before);
      assert.deepEqual(
        readdirSync(join(ws, PKI)).filter((f) => f.includes('.bak-')),
        [],
      );
    } finally {
      await client.shutdown();
    }
  });

  it('read-only requests are confined too: a preview of a file outside, workspace defaults of /usr', async () => {
    const { ws, outside } = workspaceAndOutside(trees.scratch());
    const client = await serverOn(ws);
    try {
      const outsideCa = await client.request<{ error?: string; blocks: unknown[] }>('kubePki/previewData', { uri: pathToUri(join(outside, 'ca.crt')) });
      assert.deepEqual(outsideCa.blocks, []);
      assert.match(outsideCa.error ?? '', /outside\/ca\.crt is outside the workspace folders; kube-pki reads only inside them$/);
      const inside = await client.request<{ error?: string; blocks: Array<{ title: string }> }>('kubePki/previewData', {
        uri: pathToUri(join(ws, PKI, 'ca.crt')),
      });
      assert.equal(inside.error, undefined);
      assert.equal(inside.blocks.length, 1);
      // A certificate the user opened in the editor themselves previews, wherever it is.
      const opened = pathToUri(join(outside, 'ca.crt'));
      await client.open(opened, readFileSync(join(outside, 'ca.crt'), 'utf8'));
      const openedData = await client.request<{ error?: string; blocks: unknown[] }>('kubePki/previewData', { uri: opened });
      assert.equal(openedData.error, undefined);
      assert.equal(openedData.blocks.length, 1);

      await assert.rejects(
        execute(client, 'kubePki.workspaceDefaults', { folder: '/usr' }),
        /the folder \/usr is outside the workspace folders; kube-pki reads only inside them/,
      );
      await assert.rejects(execute(client, 'kubePki.workspaceDefaults', { folder: `${ws}/..` }), /is outside the workspace folders/);
      const defaults = await execute<{ nodeName: string }>(client, 'kubePki.workspaceDefaults', { folder: ws });
      assert.equal(defaults.nodeName, 'cp-1');
    } finally {
      await client.shutdown();
    }
  });

  it('a file listed as regular and then swapped for a link to /dev/zero or to an outside certificate is judged again before it is read', async () => {
    const { ws, outside } = workspaceAndOutside(trees.scratch());
    // An outside CA with a subject found nowhere in the workspace.
    const outsideCa = spawnSync(process.execPath, [CLI, 'gen', 'pki', join(outside, 'other'), '--key-type', 'ECDSA-P256', '--node-name', 'outside-node'], {
      encoding: 'utf8',
    });
    assert.equal(outsideCa.status, 0, outsideCa.stderr);
    const client = await serverOn(ws);
    try {
      await client.settle(500);
      const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${client.process.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
      const rssBefore = rss();
      const ca = join(ws, PKI, 'front-proxy-ca.crt');
      const swap = async (target: string) => {
        rmSync(ca);
        symlinkSync(target, ca);
        await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToUri(ca), type: 2 }] });
        return client.request<Array<{ cas: Array<{ subject: string }>; byExpiry: Array<{ subject: string }> }>>('kubePki/pkiTree', {});
      };
      await swap('/dev/zero');
      assert.ok(rss() - rssBefore < 200 * 1048576, `the server grew by ${((rss() - rssBefore) / 1048576).toFixed(0)} MB reading /dev/zero`);
      const outsidePem = join(outside, 'other/etc/kubernetes/pki/front-proxy-ca.crt');
      const tree = await swap(outsidePem);
      // The workspace's own front-proxy-client names its issuer "CN=front-proxy-ca" (and its findings say so):
      // what must not appear is the outside certificate itself, as a CA, a row or its fingerprint.
      const outsidePrint = new X509Certificate(readFileSync(outsidePem)).fingerprint256;
      const shown = JSON.stringify(tree);
      assert.ok(!shown.includes(outsidePrint), "the outside CA's fingerprint is not shown");
      assert.deepEqual(
        tree.flatMap((t) => [...t.cas, ...t.byExpiry].filter((c) => c.subject === 'CN=front-proxy-ca')),
        [],
        'the outside CA is not shown',
      );
      const problems = await client.settle(500);
      const all = JSON.stringify([...problems.values()]);
      assert.ok(!all.includes('outside-node'), 'nothing of the outside tree is reported');
    } finally {
      await client.shutdown();
    }
  });
});

describe('confinement of the CLI: it writes only under the output it is given', () => {
  const trees = fixtureTrees(() => undefined);
  const cli = (args: string[], umask?: string) =>
    umask === undefined
      ? spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' })
      : spawnSync('/bin/sh', ['-c', `umask ${umask} && exec "$0" "$@"`, process.execPath, CLI, ...args], { encoding: 'utf8' });

  it('gen pki never writes through a folder of OUTDIR symlinked out of it', () => {
    const scratch = trees.scratch();
    const out = join(scratch, 'out');
    const outside = join(scratch, 'outside');
    mkdirSync(join(out, 'etc/kubernetes'), { recursive: true });
    mkdirSync(outside);
    symlinkSync(outside, join(out, 'etc/kubernetes/pki'));
    const result = cli(['gen', 'pki', out, '--key-type', 'ECDSA-P256']);
    assert.equal(result.status, 2, result.stdout);
    assert.match(
      result.stderr,
      /^kube-pki gen: \S+\/out\/etc\/kubernetes\/pki\/\S+ is outside the output folder \S+\/out \(it leads to \S+\/outside\/\S+\); kube-pki writes only inside it\n$/,
    );
    assert.deepEqual(readdirSync(outside), []);
  });

  it('gen csr under umask 077 writes both files 0600; under 022 the CSR is 0644 and the key 0600', () => {
    const scratch = trees.scratch();
    assert.equal(cli(['gen', 'csr', '--cn', 'x', '--key-type', 'ECDSA-P256', '--out', join(scratch, 'private')], '077').status, 0);
    assert.equal(statSync(join(scratch, 'private.csr')).mode & 0o777, 0o600);
    assert.equal(statSync(join(scratch, 'private.key')).mode & 0o777, 0o600);
    assert.equal(cli(['gen', 'csr', '--cn', 'x', '--key-type', 'ECDSA-P256', '--out', join(scratch, 'shared')], '022').status, 0);
    assert.equal(statSync(join(scratch, 'shared.csr')).mode & 0o777, 0o644);
    assert.equal(statSync(join(scratch, 'shared.key')).mode & 0o777, 0o600);
  });
});
