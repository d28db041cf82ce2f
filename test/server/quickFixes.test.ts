import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver/node';
import { parse } from 'yaml';
import { pathToUri } from '../../server/src/lsp/convert';
import { makeKubeadmNode } from '../support/clusterFixture';
import { LspTestClient } from '../support/lspClient';
import { missingPeer } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { edit, fixtureTrees, issue, replaceKubeconfigUser, writeKeyFile } from '../support/seed';

const skip = missingPeer('openssl');
const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const PKI = 'etc/kubernetes/pki';

/** Starts a server on the tree and waits for the first diagnostics of `file`. */
async function open(root: string, file: string, trusted = true): Promise<{ client: LspTestClient; uri: string; diagnostics: Diagnostic[] }> {
  const client = new LspTestClient();
  const uri = pathToUri(join(root, file));
  const first = client.nextDiagnostics(uri, undefined, 20_000);
  await client.initialize(pathToUri(root), { trusted });
  return { client, uri, diagnostics: await first };
}

/** Diagnostic -> code action -> command, as an editor's lightbulb does. Returns the command's result. */
async function applyQuickFix(
  client: LspTestClient,
  uri: string,
  diagnostic: Diagnostic,
  variant: 'preferred' | 'alternative' = 'preferred',
): Promise<{ title: string; result: { written: string[]; backups: string[]; cancelled: boolean; reason?: string } }> {
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: diagnostic.range,
    context: { diagnostics: [diagnostic] },
  });
  const preferred = actions.filter((a) => a.isPreferred);
  assert.equal(preferred.length, 1, `one preferred quick fix for ${diagnostic.code}`);
  const action = variant === 'preferred' ? preferred[0] : actions.find((a) => !a.isPreferred)!;
  assert.equal(action.kind, 'quickfix');
  const result = await client.request<{ written: string[]; backups: string[]; cancelled: boolean; reason?: string }>('workspace/executeCommand', {
    command: action.command!.command,
    arguments: action.command!.arguments,
  });
  return { title: action.title, result };
}

function verifies(root: string, cert: string, ca: string, ...extra: string[]): boolean {
  return spawnSync('openssl', ['verify', '-CAfile', join(root, PKI, ca), ...extra, join(root, PKI, cert)]).status === 0;
}

describeNeeding('quick fixes through the language server: diagnostic -> code action -> files written -> diagnostic gone', skip, () => {
  const trees = fixtureTrees((root) => makeKubeadmNode(root));

  it('san-missing: re-issues apiserver.crt with the new address, same key, after confirmation, keeping a .bak', async () => {
    const root = trees.seeded((r) => edit(r, APISERVER, (t) => t.replace('--advertise-address=192.168.10.10', '--advertise-address=192.168.10.20')));
    const keyBefore = readFileSync(join(root, PKI, 'apiserver.key'), 'utf8');
    const { client, uri, diagnostics } = await open(root, APISERVER);
    try {
      assert.deepEqual(
        diagnostics.map((d) => d.code),
        ['san-missing'],
      );
      client.answer = 'Replace';
      const cleared = client.nextDiagnostics(uri);
      const { title, result } = await applyQuickFix(client, uri, diagnostics[0]);
      assert.equal(title, 'Re-issue apiserver.crt with 192.168.10.20 added (signed by ca.crt, same key)');
      assert.match(client.questions[0], /replace apiserver\.crt\? The current file is kept as \.bak\./);
      assert.deepEqual(result.written, [join(root, PKI, 'apiserver.crt')]);
      assert.equal(result.backups.length, 1);
      assert.ok(existsSync(result.backups[0]));
      assert.deepEqual(await cleared, []);
      assert.equal(readFileSync(join(root, PKI, 'apiserver.key'), 'utf8'), keyBefore);
      assert.ok(verifies(root, 'apiserver.crt', 'ca.crt', '-verify_ip', '192.168.10.20'));
      assert.ok(verifies(root, 'apiserver.crt', 'ca.crt', '-verify_hostname', 'kubernetes.default.svc.cluster.local'));
    } finally {
      await client.shutdown();
    }
  });

  it('san-missing, second choice: re-issues with a new key, replacing both after confirmation', async () => {
    const root = trees.seeded((r) => edit(r, APISERVER, (t) => t.replace('--advertise-address=192.168.10.10', '--advertise-address=192.168.10.40')));
    const keyBefore = readFileSync(join(root, PKI, 'apiserver.key'), 'utf8');
    const { client, uri, diagnostics } = await open(root, APISERVER);
    try {
      client.answer = 'Replace';
      const cleared = client.nextDiagnostics(uri);
      const { title, result } = await applyQuickFix(client, uri, diagnostics[0], 'alternative');
      assert.equal(title, 'Re-issue apiserver.crt with 192.168.10.40 added (signed by ca.crt, new key)');
      assert.deepEqual(result.written, [join(root, PKI, 'apiserver.key'), join(root, PKI, 'apiserver.crt')]);
      assert.equal(result.backups.length, 2);
      assert.notEqual(readFileSync(join(root, PKI, 'apiserver.key'), 'utf8'), keyBefore);
      assert.equal(statSync(join(root, PKI, 'apiserver.key')).mode & 0o777, 0o600);
      assert.deepEqual(await cleared, []);
    } finally {
      await client.shutdown();
    }
  });

  it('declining the replacement writes nothing', async () => {
    const root = trees.seeded((r) => edit(r, APISERVER, (t) => t.replace('--advertise-address=192.168.10.10', '--advertise-address=192.168.10.30')));
    const before = readFileSync(join(root, PKI, 'apiserver.crt'), 'utf8');
    const { client, uri, diagnostics } = await open(root, APISERVER);
    try {
      client.answer = 'Cancel';
      const { result } = await applyQuickFix(client, uri, diagnostics[0]);
      assert.equal(result.cancelled, true);
      assert.equal(readFileSync(join(root, PKI, 'apiserver.crt'), 'utf8'), before);
      assert.deepEqual(
        readdirSync(join(root, PKI)).filter((f) => f.includes('.bak')),
        [],
      );
    } finally {
      await client.shutdown();
    }
  });

  it('file-not-found: generates the missing pair, signed by the CA its profile names, key 0600', async () => {
    const root = trees.seeded((r) => {
      unlinkSync(join(r, PKI, 'front-proxy-client.crt'));
      unlinkSync(join(r, PKI, 'front-proxy-client.key'));
    });
    const { client, uri, diagnostics } = await open(root, APISERVER);
    try {
      assert.deepEqual(
        diagnostics.map((d) => d.code),
        ['file-not-found', 'file-not-found'],
      );
      const cleared = client.nextDiagnostics(uri);
      const { title, result } = await applyQuickFix(client, uri, diagnostics[0]);
      assert.equal(title, 'Generate front-proxy-client.crt and front-proxy-client.key (front proxy client, signed by front-proxy-ca.crt)');
      assert.deepEqual(client.questions, [], 'creating files asks nothing');
      assert.deepEqual(result.written.sort(), [join(root, PKI, 'front-proxy-client.crt'), join(root, PKI, 'front-proxy-client.key')]);
      assert.equal(statSync(join(root, PKI, 'front-proxy-client.key')).mode & 0o777, 0o600);
      assert.deepEqual(await cleared, []);
      assert.ok(verifies(root, 'front-proxy-client.crt', 'front-proxy-ca.crt', '-purpose', 'sslclient'));
    } finally {
      await client.shutdown();
    }
  });

  it('cert-expired: renews with the same subject and key; key-mismatch: re-issues for the configured key', async () => {
    const root = trees.seeded((r) => {
      const expired = issue(r, { cert: `${PKI}/etcd/ca.crt`, key: `${PKI}/etcd/ca.key` }, '/CN=kube-apiserver-etcd-client', ['extendedKeyUsage=clientAuth'], {
        startDate: '20200101000000Z',
        endDate: '20210101000000Z',
      });
      writeKeyFile(r, `${PKI}/apiserver-etcd-client.crt`, expired.cert);
      writeKeyFile(r, `${PKI}/apiserver-etcd-client.key`, expired.key);
      writeKeyFile(r, `${PKI}/apiserver-kubelet-client.key`, issue(r, { cert: `${PKI}/ca.crt`, key: `${PKI}/ca.key` }, '/CN=other', []).key);
    });
    const { client, uri, diagnostics } = await open(root, APISERVER);
    try {
      assert.deepEqual(
        diagnostics.map((d) => d.code),
        ['cert-expired', 'key-mismatch'],
      );
      client.answer = 'Replace';
      const afterRenewal = client.nextDiagnostics(uri);
      assert.equal((await applyQuickFix(client, uri, diagnostics[0])).result.cancelled, false);
      assert.deepEqual(
        (await afterRenewal).map((d) => d.code),
        ['key-mismatch'],
      );
      const afterReissue = client.nextDiagnostics(uri);
      assert.equal((await applyQuickFix(client, uri, diagnostics[1])).result.cancelled, false);
      assert.deepEqual(await afterReissue, []);
      assert.match(
        spawnSync('openssl', ['x509', '-in', join(root, PKI, 'apiserver-etcd-client.crt'), '-noout', '-subject'], { encoding: 'utf8' }).stdout,
        /CN = kube-apiserver-etcd-client/,
      );
      assert.ok(verifies(root, 'apiserver-etcd-client.crt', 'etcd/ca.crt', '-purpose', 'sslclient'));
    } finally {
      await client.shutdown();
    }
  });

  it('identity-mismatch: re-issues the kubeconfig user with the right CN, embedded in the kubeconfig', async () => {
    const root = trees.seeded((r) =>
      replaceKubeconfigUser(
        r,
        'etc/kubernetes/scheduler.conf',
        issue(r, { cert: `${PKI}/ca.crt`, key: `${PKI}/ca.key` }, '/CN=system:system:kube-scheduler', ['extendedKeyUsage=clientAuth']),
      ),
    );
    const { client, uri, diagnostics } = await open(root, 'etc/kubernetes/scheduler.conf');
    try {
      assert.deepEqual(
        diagnostics.map((d) => d.code),
        ['identity-mismatch'],
      );
      client.answer = 'Replace';
      const cleared = client.nextDiagnostics(uri);
      const { title } = await applyQuickFix(client, uri, diagnostics[0]);
      assert.equal(title, 'Re-issue the client certificate of system:kube-scheduler as CN=system:kube-scheduler (signed by ca.crt)');
      assert.deepEqual(await cleared, []);
      assert.equal(statSync(join(root, 'etc/kubernetes/scheduler.conf')).mode & 0o777, 0o600);
    } finally {
      await client.shutdown();
    }
  });

  it('ca-mismatch: re-issues the kubeconfig client certificate under --client-ca-file, same subject and key, embedded', async () => {
    const conf = 'etc/kubernetes/scheduler.conf';
    const foreign = { cert: `${PKI}/front-proxy-ca.crt`, key: `${PKI}/front-proxy-ca.key` };
    const root = trees.seeded((r) => replaceKubeconfigUser(r, conf, issue(r, foreign, '/CN=system:kube-scheduler', ['extendedKeyUsage=clientAuth'])));
    const embedded = (field: string) => {
      const users = parse(readFileSync(join(root, conf), 'utf8')).users as Array<{ user: Record<string, string> }>;
      return Buffer.from(users[0].user[field], 'base64').toString('utf8');
    };
    const keyBefore = embedded('client-key-data');
    const { client, uri, diagnostics } = await open(root, conf);
    try {
      assert.deepEqual(
        diagnostics.map((d) => d.code),
        ['ca-mismatch'],
      );
      client.answer = 'Replace';
      const cleared = client.nextDiagnostics(uri);
      const { title, result } = await applyQuickFix(client, uri, diagnostics[0]);
      assert.equal(title, 'Re-issue the client certificate of system:kube-scheduler under ca.crt, the CA the API server trusts (same subject and key)');
      assert.match(client.questions[0], /replace scheduler\.conf\? The current file is kept as \.bak\./);
      assert.deepEqual(result.written, [join(root, conf)]);
      assert.equal(result.backups.length, 1);
      assert.deepEqual(await cleared, []);
      assert.equal(embedded('client-key-data'), keyBefore, 'the same key');
      const cert = new X509Certificate(embedded('client-certificate-data'));
      assert.equal(cert.subject, 'CN=system:kube-scheduler');
      assert.ok(cert.checkPrivateKey(createPrivateKey(keyBefore)), 'the certificate is for the kept key');
      assert.ok(cert.verify(new X509Certificate(readFileSync(join(root, PKI, 'ca.crt'))).publicKey), 'signed by the CA the API server trusts');
      assert.equal(statSync(join(root, conf)).mode & 0o777, 0o600);
    } finally {
      await client.shutdown();
    }
  });

  it('writes nothing in an untrusted workspace, and says so', async () => {
    const root = trees.seeded((r) => unlinkSync(join(r, PKI, 'apiserver-kubelet-client.crt')));
    const { client, uri, diagnostics } = await open(root, APISERVER, false);
    try {
      const { result } = await applyQuickFix(client, uri, diagnostics[0]);
      assert.deepEqual(result, { written: [], backups: [], cancelled: true, reason: 'untrusted' });
      assert.ok(!existsSync(join(root, PKI, 'apiserver-kubelet-client.crt')));
      await new Promise((r) => setTimeout(r, 100));
      assert.match(client.messages.map((m) => m.message).join('\n'), /this workspace is not trusted, so kube-pki writes nothing/);
    } finally {
      await client.shutdown();
    }
  });
});
