import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, it } from 'node:test';
import { runCli } from '../support/cli';
import { missingPeer, OpensslWorkspace } from '../support/openssl';
import { describeNeeding } from '../support/paths';

const skip = missingPeer('openssl');

/** openssl verify's verdict on the same inputs, for a side-by-side check. */
function opensslAccepts(args: string[]): boolean {
  return spawnSync('openssl', ['verify', '-x509_strict', ...args], { encoding: 'utf8' }).status === 0;
}

describeNeeding('kube-pki verify', skip, () => {
  const ws = new OpensslWorkspace();
  before(() => {
    ws.ca('ca', '/CN=kubernetes');
    ws.ca('etcd-ca', '/CN=etcd-ca');
    ws.signed('apiserver', '/CN=kube-apiserver', 'ca', [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=DNS:kubernetes,DNS:kubernetes.default.svc,IP:10.96.0.1',
      'authorityKeyIdentifier=keyid',
    ]);
    ws.signed('intermediate', '/CN=intermediate', 'ca', ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign']);
    ws.signed('via-intermediate', '/CN=via', 'intermediate', ['extendedKeyUsage=clientAuth']);
    ws.signed('expired', '/CN=expired', 'ca', ['subjectAltName=DNS:expired.example'], { startDate: '20200101000000Z', endDate: '20210101000000Z' });
  });
  after(() => ws.dispose());

  it('accepts a good serving cert for its names and purpose (exit 0), as openssl does', () => {
    for (const name of ['kubernetes.default.svc', 'KUBERNETES']) {
      const run = runCli(['verify', ws.path('apiserver.crt'), '--ca', ws.path('ca.crt'), '--host', name, '--purpose', 'server']);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /apiserver\.crt: OK\n$/);
      assert.ok(opensslAccepts(['-CAfile', ws.path('ca.crt'), '-verify_hostname', name, '-purpose', 'sslserver', ws.path('apiserver.crt')]));
    }
    const ip = runCli(['verify', ws.path('apiserver.crt'), '--ca', ws.path('ca.crt'), '--ip', '10.96.0.1']);
    assert.equal(ip.status, 0);
  });

  it('rejects a missing SAN with the reason (exit 1), as openssl does', () => {
    const run = runCli(['verify', ws.path('apiserver.crt'), '--ca', ws.path('ca.crt'), '--ip', '192.168.10.10']);
    assert.equal(run.status, 1);
    assert.match(
      run.stdout,
      /apiserver\.crt: REJECTED\n  - CN=kube-apiserver: missing SAN IP address 192\.168\.10\.10 \(the certificate has IP:10\.96\.0\.1\)\n$/,
    );
    assert.equal(opensslAccepts(['-CAfile', ws.path('ca.crt'), '-verify_ip', '192.168.10.10', ws.path('apiserver.crt')]), false);
  });

  it('rejects a cert signed by another CA, and the wrong purpose', () => {
    const run = runCli(['verify', ws.path('apiserver.crt'), '--ca', ws.path('etcd-ca.crt'), '--format', 'json']);
    assert.equal(run.status, 1);
    const json = JSON.parse(run.stdout);
    assert.equal(json.accepted, false);
    assert.deepEqual(json.reasons, ['CN=kube-apiserver: its issuer "CN=kubernetes" is not among the trusted CAs']);
    assert.equal(opensslAccepts(['-CAfile', ws.path('etcd-ca.crt'), ws.path('apiserver.crt')]), false);
    const purpose = runCli(['verify', ws.path('apiserver.crt'), '--ca', ws.path('ca.crt'), '--purpose', 'client']);
    assert.equal(purpose.status, 1);
    assert.match(purpose.stdout, /Extended Key Usage lacks clientAuth \(it has serverAuth\)/);
  });

  it('builds the chain through --intermediates', () => {
    const without = runCli(['verify', ws.path('via-intermediate.crt'), '--ca', ws.path('ca.crt')]);
    assert.equal(without.status, 1);
    const run = runCli([
      'verify',
      ws.path('via-intermediate.crt'),
      '--ca',
      ws.path('ca.crt'),
      '--intermediates',
      ws.path('intermediate.crt'),
      '--purpose',
      'client',
      '--format',
      'json',
    ]);
    assert.equal(run.status, 0, run.stdout);
    assert.deepEqual(
      JSON.parse(run.stdout).chain.map((c: { subject: string }) => c.subject),
      ['CN=via', 'CN=intermediate', 'CN=kubernetes'],
    );
    assert.ok(opensslAccepts(['-CAfile', ws.path('ca.crt'), '-untrusted', ws.path('intermediate.crt'), ws.path('via-intermediate.crt')]));
  });

  it('judges validity at --at', () => {
    const now = runCli(['verify', ws.path('expired.crt'), '--ca', ws.path('ca.crt')]);
    assert.equal(now.status, 1);
    assert.match(now.stdout, /CN=expired: expired on 2021-01-01T00:00:00\.000Z \(\d+ days before /);
    // Back then the leaf was valid but the CA (made today) was not yet.
    const then = runCli(['verify', ws.path('expired.crt'), '--ca', ws.path('ca.crt'), '--at', '2020-06-01T00:00:00Z']);
    assert.equal(then.status, 1);
    assert.match(then.stdout, /CN=kubernetes: not valid yet: valid from /);
  });

  it('checks the key pair with --key', () => {
    const good = runCli(['verify', ws.path('apiserver.crt'), '--ca', ws.path('ca.crt'), '--key', ws.path('apiserver.key')]);
    assert.equal(good.status, 0, good.stdout);
    const bad = runCli(['verify', ws.path('apiserver.crt'), '--ca', ws.path('ca.crt'), '--key', ws.path('expired.key')]);
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /CN=kube-apiserver: the private key does not belong to the certificate/);
    assert.ok(!bad.stdout.includes(ws.read('expired.key').split('\n')[3]));
  });

  it('exits 2 for usage and input errors', () => {
    const noCa = runCli(['verify', ws.path('apiserver.crt')]);
    assert.equal(noCa.status, 2);
    assert.match(noCa.stderr, /verify needs --ca FILE/);
    const both = runCli(['verify', ws.path('apiserver.crt'), '--ca', ws.path('ca.crt'), '--host', 'a', '--ip', '10.0.0.1']);
    assert.equal(both.status, 2);
    const badIp = runCli(['verify', ws.path('apiserver.crt'), '--ca', ws.path('ca.crt'), '--ip', 'kubernetes']);
    assert.match(badIp.stderr, /--ip "kubernetes" is not an IPv4 or IPv6 address/);
    const badAt = runCli(['verify', ws.path('apiserver.crt'), '--ca', ws.path('ca.crt'), '--at', 'yesterday']);
    assert.equal(badAt.status, 2);
    const missing = runCli(['verify', ws.path('nope.crt'), '--ca', ws.path('ca.crt')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /kube-pki verify: LEAF .*nope\.crt: no such file/);
    const keyAsCa = runCli(['verify', ws.path('apiserver.crt'), '--ca', ws.path('ca.key')]);
    assert.equal(keyAsCa.status, 2);
    assert.match(keyAsCa.stderr, /--ca .*ca\.key: holds no certificate/);
  });
});
