import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { parse } from 'yaml';
import { runCli } from '../support/cli';
import { missingPeer } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { freePort, missingProgram } from '../support/peers';

const skip =
  missingPeer('openssl') ??
  missingProgram('kubectl', ['version', '--client'], 'kubernetes-client') ??
  missingProgram('etcd', ['--version'], 'etcd-server') ??
  missingProgram('etcdctl', ['version'], 'etcd-client');

const DAY_MS = 86_400_000;
const PKI = 'etc/kubernetes/pki';
/** Every leaf kubeadm's certs renew --all renews, with the CA that signs it. */
const LEAVES: Array<[string, string]> = [
  ['apiserver', 'ca'],
  ['apiserver-kubelet-client', 'ca'],
  ['front-proxy-client', 'front-proxy-ca'],
  ['etcd/server', 'etcd/ca'],
  ['etcd/peer', 'etcd/ca'],
  ['etcd/healthcheck-client', 'etcd/ca'],
  ['apiserver-etcd-client', 'etcd/ca'],
];

function run(command: string, args: string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ETCDCTL_API: '3', KUBECACHEDIR: join(tmpdir(), 'kube-pki-kubectl-cache') } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (status) => resolve({ status, output }));
  });
}

const notAfterOf = (pem: string) => new Date(spawnSync('openssl', ['x509', '-noout', '-enddate'], { input: pem, encoding: 'utf8' }).stdout.trim().slice(9));

describeNeeding('kube-pki renew on a generated node near expiry, then openssl, kubectl and etcd with the renewed files', skip, () => {
  let root: string;
  let renewed: { status: number | null; stdout: string; stderr: string };
  let etcd: ChildProcess | undefined;
  let server: Server | undefined;
  const file = (rel: string) => join(root, rel);
  const pem = (rel: string) => readFileSync(file(rel), 'utf8');

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'kube-pki-renew-peers-'));
    const gen = runCli(['gen', 'pki', root, '--node-name', 'renew-test', '--advertise-address', '127.0.0.1', '--key-type', 'ECDSA-P256', '--validity', '2d']);
    assert.equal(gen.status, 0, gen.stderr);
    renewed = runCli(['renew', root, '--all']);
  });
  after(() => {
    etcd?.kill();
    server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('renews every leaf for a year, and openssl verify -x509_strict passes for each against its CA', () => {
    assert.equal(renewed.status, 0, renewed.stdout + renewed.stderr);
    assert.match(renewed.stdout, /^kube-pki renew: 12 to renew, 0 skipped\n/);
    assert.match(renewed.stdout, /\nRestart to load the new files: kubelet\n$/);
    for (const [leaf, ca] of LEAVES) {
      const verify = spawnSync('openssl', ['verify', '-x509_strict', '-CAfile', file(`${PKI}/${ca}.crt`), file(`${PKI}/${leaf}.crt`)], { encoding: 'utf8' });
      assert.equal(verify.status, 0, `${leaf}: ${verify.stdout}${verify.stderr}`);
      assert.ok(notAfterOf(pem(`${PKI}/${leaf}.crt`)).getTime() > Date.now() + 360 * DAY_MS, leaf);
    }
    const admin = parse(pem('etc/kubernetes/admin.conf'));
    const adminCert = Buffer.from(admin.users[0].user['client-certificate-data'], 'base64').toString();
    // openssl verify reads the certificate from stdin when no file is named: nothing is added to the tree.
    const verify = spawnSync('openssl', ['verify', '-x509_strict', '-CAfile', file(`${PKI}/ca.crt`)], { input: adminCert, encoding: 'utf8' });
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
    assert.ok(notAfterOf(adminCert).getTime() > Date.now() + 360 * DAY_MS);
  });

  it('kubectl with the renewed admin.conf handshakes with a TLS server using the renewed apiserver cert', async () => {
    const clients: string[] = [];
    server = createServer(
      { cert: pem(`${PKI}/apiserver.crt`), key: pem(`${PKI}/apiserver.key`), ca: pem(`${PKI}/ca.crt`), requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        clients.push(String((req.socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN ?? ''));
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ major: '1', minor: '30', gitVersion: 'v1.30.0-kube-pki-renewed' }));
      },
    );
    const port = await new Promise<number>((resolve) => server!.listen(0, '127.0.0.1', () => resolve((server!.address() as { port: number }).port)));
    const got = await run('kubectl', ['--kubeconfig', file('etc/kubernetes/admin.conf'), '--server', `https://127.0.0.1:${port}`, 'get', '--raw', '/version']);
    assert.equal(got.status, 0, got.output);
    assert.match(got.output, /v1\.30\.0-kube-pki-renewed/);
    assert.ok(clients.length > 0 && clients.every((cn) => cn === 'kubernetes-admin'), clients.join(','));
  });

  it('etcd with the renewed server and peer certs accepts the renewed healthcheck client', async () => {
    const [clientPort, peerPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
    const clientUrl = `https://127.0.0.1:${clientPort}`;
    const peerUrl = `https://127.0.0.1:${peerPort}`;
    const p = (f: string) => file(`${PKI}/${f}`);
    etcd = spawn(
      'etcd',
      [
        ...['--name', 'renew-test', '--data-dir', file('data'), '--listen-client-urls', clientUrl, '--advertise-client-urls', clientUrl],
        ...['--listen-peer-urls', peerUrl, '--initial-advertise-peer-urls', peerUrl, '--initial-cluster', `renew-test=${peerUrl}`],
        ...['--cert-file', p('etcd/server.crt'), '--key-file', p('etcd/server.key'), '--client-cert-auth', '--trusted-ca-file', p('etcd/ca.crt')],
        ...[
          '--peer-cert-file',
          p('etcd/peer.crt'),
          '--peer-key-file',
          p('etcd/peer.key'),
          '--peer-client-cert-auth',
          '--peer-trusted-ca-file',
          p('etcd/ca.crt'),
        ],
        ...['--listen-metrics-urls', `http://127.0.0.1:${metricsPort}`],
      ],
      { stdio: 'ignore' },
    );
    const etcdctl = [
      '--endpoints',
      clientUrl,
      '--cacert',
      p('etcd/ca.crt'),
      '--cert',
      p('etcd/healthcheck-client.crt'),
      '--key',
      p('etcd/healthcheck-client.key'),
    ];
    let health = { status: null as number | null, output: '' };
    for (let i = 0; i < 100 && health.status !== 0; i++) {
      health = await run('etcdctl', [...etcdctl, '--dial-timeout', '2s', '--command-timeout', '3s', 'endpoint', 'health']);
      if (health.status !== 0) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(health.status, 0, health.output);
    assert.match(health.output, /is healthy/);
  });

  it('leaves kube-pki check clean (its own .bak copies configure nothing)', () => {
    const check = runCli(['check', root]);
    assert.equal(check.stdout, '✓ no problems (10 config files checked)\n');
    assert.equal(check.status, 0);
  });
});
