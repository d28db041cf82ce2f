import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, it } from 'node:test';
import { runCli } from '../support/cli';
import { missingPeer, OpensslWorkspace, openssl } from '../support/openssl';
import { CLI, describeNeeding } from '../support/paths';

const skip = missingPeer('openssl');

describeNeeding('kube-pki inspect', skip, () => {
  const ws = new OpensslWorkspace();
  before(() => {
    ws.ca('ca', '/CN=kubernetes');
    ws.signed('apiserver', '/CN=kube-apiserver', 'ca', ['extendedKeyUsage=serverAuth', 'subjectAltName=DNS:kubernetes,IP:10.96.0.1']);
    ws.write('bundle.pem', ws.read('apiserver.crt') + ws.read('ca.crt'));
    openssl(['x509', '-in', ws.path('ca.crt'), '-outform', 'DER', '-out', ws.path('ca.der')]);
    ws.write('broken.crt', ws.read('ca.crt').replace(/\n[A-Za-z0-9+/]{64}\n/, '\nnot base64 at all!\n'));
  });
  after(() => ws.dispose());

  it('prints every block of a bundle with subject, SANs, validity and fingerprints (exit 0)', () => {
    const run = runCli(['inspect', ws.path('bundle.pem')]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    const out = run.stdout;
    assert.match(out, /# block 1, lines 1-\d+\n  Certificate CN=kube-apiserver\n/);
    assert.match(out, /# block 2, lines \d+-\d+\n  CA certificate CN=kubernetes\n/);
    assert.match(out, /Subject Alternative Names: DNS:kubernetes\n\s+IP:10\.96\.0\.1\n/);
    assert.match(out, /Validity: +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ to \d{4}-.* \(expires in 36[45] days\)/);
    const sha256 = openssl(['x509', '-in', ws.path('ca.crt'), '-noout', '-fingerprint', '-sha256'])
      .trim()
      .split('=')[1];
    assert.match(out, new RegExp(`SHA-256 fingerprint: +${sha256}\n`));
    assert.match(out, /\[info\] self-signed/);
  });

  it('stops quietly when the reader closes the pipe (inspect | head)', () => {
    // Enough output that the write outlives `head -n 1`.
    ws.write('many.pem', ws.read('apiserver.crt').repeat(300));
    const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" inspect "${ws.path('many.pem')}" | head -n 1`], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(piped.stdout, `${ws.path('many.pem')}\n`);
    assert.equal(piped.stderr, '', 'no EPIPE stack trace');
  });

  it('emits JSON with the documented fields, DER detected by content', () => {
    const run = runCli(['inspect', ws.path('ca.der'), ws.path('apiserver.key'), '--format', 'json', '--at', '2030-01-01T00:00:00Z']);
    assert.equal(run.status, 0, run.stderr);
    const json = JSON.parse(run.stdout);
    assert.equal(json.ok, true);
    assert.equal(json.at, '2030-01-01T00:00:00.000Z');
    const [der, key] = json.files;
    assert.equal(der.format, 'der');
    const cert = der.blocks[0];
    assert.equal(cert.type, 'certificate');
    assert.equal(cert.subject.text, 'CN=kubernetes');
    assert.equal(cert.isCA, true);
    assert.equal(cert.selfSigned, true);
    assert.equal(typeof cert.daysLeft, 'number');
    assert.equal(cert.publicKey.description, 'RSA 2048');
    assert.match(cert.fingerprints.sha256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.equal(key.blocks[0].type, 'privateKey');
    assert.equal(key.blocks[0].format, 'PKCS#1');
    // The key file's body never appears in the output.
    const body = ws.read('apiserver.key').split('\n')[5];
    assert.ok(!run.stdout.includes(body));
  });

  it('exits 2 with the reason on stderr and in the output for a broken block', () => {
    const run = runCli(['inspect', ws.path('broken.crt'), ws.path('ca.crt')]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /broken\.crt: block 1 \(line 1\): invalid base64 on line \d+: unexpected " "/);
    assert.match(run.stdout, /Invalid CERTIFICATE block\n\s+\[ERROR\] invalid base64 on line/);
    assert.match(run.stdout, /CA certificate CN=kubernetes/, 'the other file is still shown');
  });

  it('exits 2 for a missing file, a directory and an empty file', () => {
    ws.write('empty.pem', '');
    const run = runCli(['inspect', ws.path('nope.pem'), ws.dir, ws.path('empty.pem'), '--format', 'json']);
    assert.equal(run.status, 2);
    const json = JSON.parse(run.stdout);
    assert.deepEqual(
      json.files.map((f: { error: string }) => f.error),
      ['no such file', 'is a directory, not a file', 'empty file'],
    );
    assert.match(run.stderr, /nope\.pem: no such file/);
  });

  it('exits 2 on usage errors', () => {
    assert.equal(runCli(['inspect']).status, 2);
    const bad = runCli(['inspect', ws.path('ca.crt'), '--format', 'yaml']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--format must be text or json, not "yaml"/);
    assert.equal(runCli(['inspect', ws.path('ca.crt'), '--bogus']).status, 2);
  });
});
