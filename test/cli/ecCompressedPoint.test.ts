import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { runCli } from '../support/cli';
import { missingPeer, OpensslWorkspace, openssl } from '../support/openssl';
import { describeNeeding } from '../support/paths';

const skip = missingPeer('openssl');
const GO_REFUSES = 'EC P-256 public key stored as a compressed point: Go (so Kubernetes) cannot parse it (x509: failed to unmarshal elliptic curve point)';

/**
 * `openssl ec -conv_form compressed` stores an EC key's point compressed. Go reads a private key's
 * point from its scalar and compares points, so such a key is the same key; but crypto/x509 parses
 * only uncompressed points in certificates and public keys (elliptic.Unmarshal).
 */
describeNeeding('an EC key stored with a compressed point', skip, () => {
  const ws = new OpensslWorkspace();
  before(() => {
    ws.ecKey('plain.key');
    openssl(['ec', '-in', ws.path('plain.key'), '-conv_form', 'compressed', '-out', ws.path('compressed.key')]);
    openssl(['ec', '-in', ws.path('plain.key'), '-pubout', '-conv_form', 'compressed', '-out', ws.path('compressed.pub')]);
    ws.ca('plain', '/CN=plain', { key: ws.path('plain.key') });
    // openssl writes the certificate's key in the private key's point form.
    ws.ca('compressed', '/CN=compressed', { key: ws.path('compressed.key') });
  });
  after(() => ws.dispose());

  it('belongs to the certificate of its uncompressed point: verify --key says OK (Go accepts the pair)', () => {
    const run = runCli(['verify', ws.path('plain.crt'), '--ca', ws.path('plain.crt'), '--key', ws.path('compressed.key')]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /ok {3}key-pair {12}CN=plain: the private key matches the certificate \(EC P-256/);
  });

  it('in a certificate, is a warning that Go cannot parse it; its public key is the same key as the private key', () => {
    const cert = runCli(['inspect', ws.path('compressed.crt')]);
    assert.ok(cert.stdout.includes(`[WARNING] ${GO_REFUSES}`), cert.stdout);
    const plain = runCli(['inspect', ws.path('plain.crt')]);
    assert.ok(!plain.stdout.includes('compressed point'), plain.stdout);
    const keyHash = /Public key SHA-256: +(\S+)/.exec(runCli(['inspect', ws.path('compressed.key')]).stdout)?.[1];
    assert.equal(/Public key SHA-256: +(\S+)/.exec(cert.stdout)?.[1], keyHash);
    assert.equal(/Public key SHA-256: +(\S+)/.exec(plain.stdout)?.[1], keyHash);
  });

  it('in a PUBLIC KEY file, the same warning', () => {
    const run = runCli(['inspect', ws.path('compressed.pub')]);
    assert.ok(run.stdout.includes(`[WARNING] ${GO_REFUSES}`), run.stdout);
  });
});
