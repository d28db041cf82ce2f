import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { runCli } from '../support/cli';
import { missingPeer, OpensslWorkspace, openssl } from '../support/openssl';
import { describeNeeding } from '../support/paths';

const skip = missingPeer('openssl');

/** Every PKCS#12 here is made by openssl itself: its default (AES-256, PBKDF2, SHA-256 MAC) and `-legacy` (RC2-40, 3DES, SHA-1). */
describeNeeding('kube-pki inspect of PKCS#12 / PFX files', skip, () => {
  const ws = new OpensslWorkspace();
  before(() => {
    ws.ca('ca', '/CN=kubernetes');
    ws.signed('apiserver', '/CN=kube-apiserver', 'ca', ['extendedKeyUsage=serverAuth', 'subjectAltName=DNS:kubernetes']);
    const exportP12 = (out: string, pass: string, extra: string[] = [], cert = 'apiserver') =>
      openssl([
        'pkcs12',
        '-export',
        '-in',
        ws.path(`${cert}.crt`),
        '-inkey',
        ws.path(`${cert}.key`),
        '-passout',
        `pass:${pass}`,
        '-out',
        ws.path(out),
        ...extra,
      ]);
    exportP12('nopass.p12', '', ['-certfile', ws.path('ca.crt')]);
    exportP12('aes.p12', 's3cret');
    exportP12('legacy.pfx', 's3cret', ['-legacy']);
    ws.signed('etcd', '/CN=etcd', 'ca', ['extendedKeyUsage=serverAuth'], { key: ws.ecKey('etcd.key') });
    exportP12('ec.p12', '', [], 'etcd');
    ws.write('password.txt', 's3cret\nignored second line\n');
  });
  after(() => ws.dispose());

  it('shows the certificates and the key by its public facts, the empty password tried first (exit 0)', () => {
    const run = runCli(['inspect', ws.path('nopass.p12')]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    const headings = run.stdout
      .trimEnd()
      .split('\n')
      .filter((l) => !l.startsWith('    '));
    assert.deepEqual(headings, [
      `${ws.path('nopass.p12')} (PKCS#12)`,
      '  # block 1: PKCS#12 certificate',
      '  Certificate CN=kube-apiserver',
      '  # block 2: PKCS#12 certificate',
      '  CA certificate CN=kubernetes',
      '  # block 3: PKCS#12 private key',
      '  RSA private key 2048',
    ]);
    const certSpki = /Certificate CN=kube-apiserver\n[^]*?Public key SHA-256: +([0-9A-F:]+)\n/.exec(run.stdout)![1];
    assert.match(run.stdout, new RegExp(`RSA private key 2048\\n    Format: +PKCS#8\\n    Key: +RSA 2048\\n    Public key SHA-256: ${certSpki}\\n`));
    const keyBody = ws.read('apiserver.key').split('\n')[5];
    assert.ok(!run.stdout.includes(keyBody), 'no key material');
  });

  it('opens the AES-256 default with --password, and says so clearly without it or with a wrong one (exit 2)', () => {
    const none = runCli(['inspect', ws.path('aes.p12')]);
    assert.equal(none.status, 2);
    assert.equal(none.stderr, `kube-pki: ${ws.path('aes.p12')}: the PKCS#12 file needs a password (the empty password does not open it)\n`);
    assert.equal(none.stdout, `${ws.path('aes.p12')} (PKCS#12)\n  ERROR: the PKCS#12 file needs a password (the empty password does not open it)\n`);
    const wrong = runCli(['inspect', ws.path('aes.p12'), '--password', 'nope']);
    assert.equal(wrong.status, 2);
    assert.equal(wrong.stderr, `kube-pki: ${ws.path('aes.p12')}: the password does not open this PKCS#12 file\n`);
    const right = runCli(['inspect', ws.path('aes.p12'), '--password', 's3cret']);
    assert.equal(right.status, 0, right.stderr);
    assert.match(right.stdout, /# block 1: PKCS#12 certificate\n  Certificate CN=kube-apiserver\n[^]*# block 2: PKCS#12 private key\n  RSA private key 2048\n/);
  });

  it('opens the legacy RC2-40 / 3DES encoding (openssl -legacy) with --password-file, in JSON', () => {
    const run = runCli(['inspect', ws.path('legacy.pfx'), '--password-file', ws.path('password.txt'), '--format', 'json']);
    assert.equal(run.status, 0, run.stderr);
    const [file] = JSON.parse(run.stdout).files;
    assert.equal(file.format, 'pkcs12');
    assert.equal(file.error, null);
    assert.deepEqual(
      file.blocks.map((b: { label: string; type: string; title: string }) => [b.label, b.type, b.title]),
      [
        ['PKCS#12 certificate', 'certificate', 'Certificate CN=kube-apiserver'],
        ['PKCS#12 private key', 'privateKey', 'RSA private key 2048'],
      ],
    );
    assert.equal(file.blocks[1].publicKey.spkiSha256, file.blocks[0].publicKey.spkiSha256);
  });

  it('reads EC certificates and keys too (the library hands them over as ASN.1, decoded here as any DER)', () => {
    const run = runCli(['inspect', ws.path('ec.p12'), '--format', 'json']);
    assert.equal(run.status, 0, run.stderr);
    const [file] = JSON.parse(run.stdout).files;
    assert.deepEqual(
      file.blocks.map((b: { title: string }) => b.title),
      ['Certificate CN=etcd', 'EC private key P-256'],
    );
    assert.equal(file.blocks[1].publicKey.spkiSha256, file.blocks[0].publicKey.spkiSha256);
  });

  it('refuses both password options at once, and a password file that is not there (usage, exit 2)', () => {
    const both = runCli(['inspect', ws.path('aes.p12'), '--password', 'x', '--password-file', ws.path('password.txt')]);
    assert.equal(both.status, 2);
    assert.match(both.stderr, /give --password or --password-file, not both/);
    const missing = runCli(['inspect', ws.path('aes.p12'), '--password-file', ws.path('nope.txt')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--password-file .*nope\.txt: no such file/);
  });
});
