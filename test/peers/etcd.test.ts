import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { runCli } from '../support/cli';
import { missingPeer } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { freePort, missingProgram } from '../support/peers';

const skip = missingPeer('openssl') ?? missingProgram('etcd', ['--version'], 'etcd-server') ?? missingProgram('etcdctl', ['version'], 'etcd-client');

describeNeeding('a real etcd with the generated etcd PKI (mTLS on clients and peers)', skip, () => {
  let root: string;
  let etcd: ChildProcess;
  let clientUrl: string;
  let log = '';
  const pki = () => join(root, 'etc/kubernetes/pki');

  const etcdctl = (cert: string, key: string, ...args: string[]) =>
    spawnSync(
      'etcdctl',
      [
        '--endpoints',
        clientUrl,
        '--cacert',
        join(pki(), 'etcd/ca.crt'),
        '--cert',
        join(pki(), cert),
        '--key',
        join(pki(), key),
        '--dial-timeout',
        '2s',
        '--command-timeout',
        '3s',
        ...args,
      ],
      { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } },
    );

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kube-pki-etcd-'));
    const gen = runCli(['gen', 'pki', root, '--node-name', 'etcd-test', '--advertise-address', '127.0.0.1', '--key-type', 'ECDSA-P256']);
    assert.equal(gen.status, 0, gen.stderr);
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    clientUrl = `https://127.0.0.1:${clientPort}`;
    const peerUrl = `https://127.0.0.1:${peerPort}`;
    etcd = spawn(
      'etcd',
      [
        '--name',
        'etcd-test',
        '--data-dir',
        join(root, 'data'),
        '--listen-client-urls',
        clientUrl,
        '--advertise-client-urls',
        clientUrl,
        '--listen-peer-urls',
        peerUrl,
        '--initial-advertise-peer-urls',
        peerUrl,
        '--initial-cluster',
        `etcd-test=${peerUrl}`,
        '--cert-file',
        join(pki(), 'etcd/server.crt'),
        '--key-file',
        join(pki(), 'etcd/server.key'),
        '--client-cert-auth',
        '--trusted-ca-file',
        join(pki(), 'etcd/ca.crt'),
        '--peer-cert-file',
        join(pki(), 'etcd/peer.crt'),
        '--peer-key-file',
        join(pki(), 'etcd/peer.key'),
        '--peer-client-cert-auth',
        '--peer-trusted-ca-file',
        join(pki(), 'etcd/ca.crt'),
        '--listen-metrics-urls',
        `http://127.0.0.1:${await freePort()}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    etcd.stdout!.on('data', (d) => (log += d));
    etcd.stderr!.on('data', (d) => (log += d));
    for (let i = 0; i < 100; i++) {
      if (etcdctl('etcd/healthcheck-client.crt', 'etcd/healthcheck-client.key', 'endpoint', 'health').status === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`etcd did not become healthy:\n${log.slice(-3000)}`);
  });
  after(() => {
    etcd?.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('accepts the healthcheck client and the API server client', () => {
    const health = etcdctl('etcd/healthcheck-client.crt', 'etcd/healthcheck-client.key', 'endpoint', 'health');
    assert.equal(health.status, 0, health.stderr);
    assert.match(health.stdout + health.stderr, /is healthy/);
    const put = etcdctl('apiserver-etcd-client.crt', 'apiserver-etcd-client.key', 'put', '/registry/kube-pki', 'ok');
    assert.equal(put.status, 0, put.stderr);
    const get = etcdctl('apiserver-etcd-client.crt', 'apiserver-etcd-client.key', 'get', '/registry/kube-pki', '--print-value-only');
    assert.equal(get.stdout.trim(), 'ok');
  });

  it('refuses a client certificate from another CA', () => {
    const refused = etcdctl('front-proxy-client.crt', 'front-proxy-client.key', 'put', 'x', 'y');
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /certificate|handshake|deadline exceeded|context deadline/i);
  });
});
