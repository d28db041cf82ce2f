import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

  it("prints a certificate's public-key SHA-256, the line its key shows, so the two compare by eye", () => {
    const cert = runCli(['inspect', ws.path('apiserver.crt')]).stdout;
    const key = runCli(['inspect', ws.path('apiserver.key')]).stdout;
    openssl(['pkey', '-in', ws.path('apiserver.key'), '-pubout', '-outform', 'DER', '-out', ws.path('apiserver.spki')]);
    const spki = readFileSync(ws.path('apiserver.spki'));
    const expected = createHash('sha256').update(spki).digest('hex').toUpperCase().match(/../g)!.join(':');
    assert.match(cert, new RegExp(`\n    SHA-1 fingerprint: +[0-9A-F:]+\n    Public key SHA-256: +${expected}\n`));
    assert.match(key, new RegExp(`\n    Public key SHA-256: ${expected}\n`));
  });

  it('reads a kubeconfig: each *-data value and each file it names, labelled by cluster and user', () => {
    const b64 = (name: string) => Buffer.from(ws.read(name)).toString('base64');
    ws.write(
      'admin.conf',
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: prod',
        '  cluster:',
        `    certificate-authority-data: ${b64('ca.crt')}`,
        '    server: https://10.0.0.1:6443',
        'users:',
        '- name: admin',
        '  user:',
        `    client-certificate-data: ${b64('apiserver.crt')}`,
        `    client-key-data: ${b64('apiserver.key')}`,
        '- name: ops',
        '  user:',
        '    client-certificate: apiserver.crt',
        '    client-key: missing.key',
        '',
      ].join('\n'),
    );
    const run = runCli(['inspect', ws.path('admin.conf')]);
    assert.equal(run.status, 2, 'a file the kubeconfig names is missing');
    assert.equal(run.stderr, `kube-pki: ${ws.path('admin.conf')}: user "ops" client-key: no such file\n`);
    const headings = run.stdout
      .trimEnd()
      .split('\n')
      .filter((l) => l.startsWith('  #') || l.startsWith('  ERROR') || !l.startsWith(' '));
    assert.deepEqual(headings, [
      `${ws.path('admin.conf')} (kubeconfig)`,
      '  # cluster "prod" certificate-authority-data, line 6',
      '  # user "admin" client-certificate-data, line 11',
      '  # user "admin" client-key-data, line 12',
      `  # user "ops" client-certificate, line 15: ${ws.path('apiserver.crt')}`,
      `  # user "ops" client-key, line 16: ${ws.path('missing.key')}`,
      '  ERROR: no such file',
    ]);
    assert.match(run.stdout, /# user "admin" client-key-data, line 12\n  RSA private key 2048\n    Format: +PKCS#1\n/);
    const body = ws.read('apiserver.key').split('\n')[5];
    assert.ok(!run.stdout.includes(body), 'no key material');

    const json = JSON.parse(runCli(['inspect', ws.path('admin.conf'), '--format', 'json', '--at', '2030-01-01T00:00:00Z']).stdout);
    const [file] = json.files;
    assert.equal(file.format, 'kubeconfig');
    assert.deepEqual(
      file.entries.map(
        (e: { section: string; name: string; field: string; line: number; file: string | null; error: string | null; blocks: { title: string }[] }) => [
          e.section,
          e.name,
          e.field,
          e.line,
          e.file,
          e.error,
          e.blocks.map((b) => b.title),
        ],
      ),
      [
        ['cluster', 'prod', 'certificate-authority-data', 6, null, null, ['CA certificate CN=kubernetes']],
        ['user', 'admin', 'client-certificate-data', 11, null, null, ['Certificate CN=kube-apiserver']],
        ['user', 'admin', 'client-key-data', 12, null, null, ['RSA private key 2048']],
        ['user', 'ops', 'client-certificate', 15, ws.path('apiserver.crt'), null, ['Certificate CN=kube-apiserver']],
        ['user', 'ops', 'client-key', 16, ws.path('missing.key'), 'no such file', []],
      ],
    );
  });

  it("decodes a non-standard label by what it holds (Talos' ED25519 PRIVATE KEY) and names a truly unknown one", () => {
    openssl(['genpkey', '-algorithm', 'ed25519', '-out', ws.path('ed.pem')]);
    const talos = ws.read('ed.pem').replaceAll('PRIVATE KEY', 'ED25519 PRIVATE KEY');
    ws.write('talos.key', `${talos}-----BEGIN FOO BAR-----\nAAAA\n-----END FOO BAR-----\n${ws.read('ca.crt')}`);
    const run = runCli(['inspect', ws.path('talos.key')]);
    assert.equal(run.status, 2, 'the unknown block cannot be decoded');
    assert.equal(
      run.stderr,
      `kube-pki: ${ws.path('talos.key')}: block 2 (line 4): unsupported PEM label "FOO BAR": it holds no certificate, certificate request or key kube-pki can read\n`,
    );
    assert.match(
      run.stdout,
      /# block 1, lines 1-3\n  Ed25519 private key 256\n    Format: +PKCS#8\n    Key: +Ed25519\n    Public key SHA-256: [0-9A-F:]+\n    \[info\] private key: contents not shown\n    \[info\] non-standard PEM label "ED25519 PRIVATE KEY", read by its content: a private key \(Go's crypto\/tls reads it\)\n/,
    );
    assert.match(run.stdout, /# block 2, lines 4-6\n  Invalid FOO BAR block\n    \[ERROR\] unsupported PEM label "FOO BAR"/);
    assert.match(run.stdout, /# block 3, lines 7-\d+\n  CA certificate CN=kubernetes\n/, 'the block after it still decodes');
  });

  it('exits 2 on usage errors', () => {
    assert.equal(runCli(['inspect']).status, 2);
    const bad = runCli(['inspect', ws.path('ca.crt'), '--format', 'yaml']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--format must be text or json, not "yaml"/);
    assert.equal(runCli(['inspect', ws.path('ca.crt'), '--bogus']).status, 2);
  });
});
