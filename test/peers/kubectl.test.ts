import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { runCli } from '../support/cli';
import { missingPeer, OpensslWorkspace } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { missingProgram } from '../support/peers';

const skip = missingPeer('openssl') ?? missingProgram('kubectl', ['version', '--client'], 'kubernetes-client');

/** Runs kubectl without blocking the event loop (the TLS server under test lives in this process). */
function kubectl(args: string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('kubectl', args, { env: { ...process.env, KUBECACHEDIR: join(tmpdir(), 'kube-pki-kubectl-cache') } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** A stand-in API server: the generated serving cert, client certs required and verified against the generated CA. */
function apiserver(cert: string, key: string, ca: string): Promise<{ server: Server; port: number; clients: string[] }> {
  const clients: string[] = [];
  const server = createServer({ cert, key, ca, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
    clients.push(String(peer.subject?.CN ?? ''));
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ major: '1', minor: '30', gitVersion: 'v1.30.0-kube-pki-test' }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, clients })));
}

describeNeeding('a real kubectl with the generated admin.conf against a TLS server using the generated apiserver cert', skip, () => {
  let root: string;
  let good: { server: Server; port: number; clients: string[] };
  let noSvcName: { server: Server; port: number; clients: string[] };
  const pki = (f: string) => readFileSync(join(root, 'etc/kubernetes/pki', f), 'utf8');
  const admin = () => join(root, 'etc/kubernetes/admin.conf');

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kube-pki-kubectl-'));
    const gen = runCli(['gen', 'pki', root, '--node-name', 'cp-1', '--advertise-address', '127.0.0.1']);
    assert.equal(gen.status, 0, gen.stderr);
    good = await apiserver(pki('apiserver.crt'), pki('apiserver.key'), pki('ca.crt'));
    // The same CA, but a serving cert that lacks kubernetes.default.svc (made with openssl from the generated CA).
    const ws = new OpensslWorkspace();
    try {
      ws.write('ca.crt', pki('ca.crt'));
      ws.write('ca.key', pki('ca.key'));
      ws.signed('short', '/CN=kube-apiserver', 'ca', ['extendedKeyUsage=serverAuth', 'subjectAltName=IP:127.0.0.1,DNS:kubernetes']);
      noSvcName = await apiserver(ws.read('short.crt'), ws.read('short.key'), pki('ca.crt'));
    } finally {
      ws.dispose();
    }
  });
  after(() => {
    good?.server.close();
    noSvcName?.server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('handshakes both ways for https://127.0.0.1 and checks the SAN', async () => {
    const run = await kubectl(['--kubeconfig', admin(), '--server', `https://127.0.0.1:${good.port}`, 'get', '--raw', '/version']);
    assert.equal(run.status, 0, run.output);
    assert.match(run.output, /v1\.30\.0-kube-pki-test/);
    // The server saw the admin's client certificate, verified against the generated CA.
    assert.ok(good.clients.length > 0 && good.clients.every((cn) => cn === 'kubernetes-admin'), good.clients.join(','));
  });

  it('accepts the kubernetes.default.svc name, and fails when the cert lacks it', async () => {
    const ok = await kubectl([
      '--kubeconfig',
      admin(),
      '--server',
      `https://127.0.0.1:${good.port}`,
      '--tls-server-name',
      'kubernetes.default.svc',
      'get',
      '--raw',
      '/version',
    ]);
    assert.equal(ok.status, 0, ok.output);
    const bad = await kubectl([
      '--kubeconfig',
      admin(),
      '--server',
      `https://127.0.0.1:${noSvcName.port}`,
      '--tls-server-name',
      'kubernetes.default.svc',
      'get',
      '--raw',
      '/version',
    ]);
    assert.notEqual(bad.status, 0);
    assert.match(bad.output, /x509: certificate is valid for kubernetes, not kubernetes\.default\.svc/);
  });
});
