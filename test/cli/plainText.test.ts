import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cli';
import { HOSTILE_CN, HOSTILE_CN_SHOWN, hostileCertificate, RAW_UNSAFE } from '../support/hostileText';

// A kubeconfig named with ESC and U+202E, naming a missing CA file with an OSC and a bidi override.
const HOSTILE_FILE = 'adm\u001b[31m\u202eevil.conf';
const HOSTILE_FILE_SHOWN = 'adm\\x1b[31m\\u202eevil.conf';
const HOSTILE_REF = 'gone\u001b]0;T\u0007\u202e\n.crt';
const HOSTILE_REF_SHOWN = 'gone\\x1b]0;T\\x07\\u202e\\x0a.crt';
const HOSTILE_LINK = 'loop\u001b[2J\u2066';

const kubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority: ${JSON.stringify(HOSTILE_REF)}
contexts:
- name: x
  context: {cluster: c, user: ''}
current-context: x
`;

function assertInert(text: string, what: string): void {
  const raw = RAW_UNSAFE.exec(text);
  assert.equal(raw, null, `${what} holds a raw U+${raw?.[0].charCodeAt(0).toString(16).padStart(4, '0')}: ${JSON.stringify(text)}`);
}

describe('plain text is plain: the CLI shows untrusted text escaped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-pki-plain-'));
  const cert = join(dir, 'evil.crt');
  const tree = join(dir, 'tree');
  const hostileLeaf = join(dir, 'leaf\u001b[2J\u202e.crt');

  before(async () => {
    const { cert: pem } = await hostileCertificate();
    writeFileSync(cert, pem);
    writeFileSync(hostileLeaf, pem);
    mkdirSync(tree);
    writeFileSync(join(tree, HOSTILE_FILE), kubeconfig);
    symlinkSync(HOSTILE_LINK, join(tree, HOSTILE_LINK));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('inspect: the subject is one escaped line, with no raw ESC, BEL or U+202E', () => {
    const run = runCli(['inspect', cert]);
    assert.equal(run.status, 0, run.stderr);
    assertInert(run.stdout, 'stdout');
    assert.equal(run.stderr, '');
    const lines = run.stdout.split('\n');
    assert.equal(lines[2], `  CA certificate CN=${HOSTILE_CN_SHOWN}`);
    assert.equal(lines[3], `    Subject:                   CN=${HOSTILE_CN_SHOWN}`);
    assert.equal(lines[4], `    Issuer:                    CN=${HOSTILE_CN_SHOWN}`);
    assert.ok(!lines.some((l) => l.startsWith('FAKE LINE')), "the CN's newline starts no line");
  });

  it('inspect --format json: the same data, valid JSON, every such character a \\u escape', () => {
    const run = runCli(['inspect', cert, '--format', 'json']);
    assert.equal(run.status, 0, run.stderr);
    assertInert(run.stdout, 'stdout');
    assert.ok(
      run.stdout.includes('"text": "CN=evil\\u001b]0;TITLE\\u0007\\u001b[2J\\u202egnp.exe\\nFAKE LINE\\t$(alert)\\u200b\\u061c\\u2028\\u0085\\u007f\\ufeff"'),
      run.stdout,
    );
    assert.equal(JSON.parse(run.stdout).files[0].blocks[0].subject.text, `CN=${HOSTILE_CN}`);
  });

  it('verify: the leaf, the chain and the checks are escaped; the LEAF path too', () => {
    const run = runCli(['verify', hostileLeaf, '--ca', cert, '--host', 'localhost']);
    assert.equal(run.status, 0, run.stderr);
    assertInert(run.stdout, 'stdout');
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], `CA certificate CN=${HOSTILE_CN_SHOWN}`);
    assert.ok(lines.includes(`Chain: CN=${HOSTILE_CN_SHOWN}`), run.stdout);
    assert.ok(lines.includes(`${dir}/leaf\\x1b[2J\\u202e.crt: OK`), run.stdout);
    assert.ok(!lines.some((l) => l.startsWith('FAKE LINE')), "the CN's newline starts no line");
  });

  it('verify --format json and a hostile path in an input error: nothing raw on stdout or stderr', () => {
    const json = runCli(['verify', cert, '--ca', cert, '--format', 'json']);
    assert.equal(json.status, 0, json.stderr);
    assertInert(json.stdout, 'stdout');
    assert.ok(JSON.stringify(JSON.parse(json.stdout)).includes(JSON.stringify(`CN=${HOSTILE_CN}`).slice(1, -1)), 'the same data');
    const missing = runCli(['verify', join(dir, 'no\u001b]0;T\u0007\u202e.crt'), '--ca', cert]);
    assert.equal(missing.status, 2);
    assertInert(missing.stderr, 'stderr');
    assert.ok(missing.stderr.includes(`${dir}/no\\x1b]0;T\\x07\\u202e.crt`), missing.stderr);
  });

  it('inspect: the first bad base64 character is named, not printed', () => {
    const broken = join(dir, 'broken.pem');
    writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nMIIB\u202eAAA\n-----END CERTIFICATE-----\n');
    const run = runCli(['inspect', broken]);
    assert.equal(run.status, 2);
    assertInert(run.stdout + run.stderr, 'output');
    assert.equal(run.stderr, `kube-pki: ${broken}: block 1 (line 1): invalid base64 on line 2: unexpected character U+202E\n`);
  });

  it('check: file names, messages and notes are escaped, one line each', () => {
    const run = runCli(['check', tree]);
    assert.equal(run.status, 1, run.stderr);
    assertInert(run.stdout, 'stdout');
    assert.equal(run.stderr, '');
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], HOSTILE_FILE_SHOWN);
    assert.equal(lines[1], `  7:28  error        ${HOSTILE_REF_SHOWN} (certificate-authority) does not exist: looked for ${HOSTILE_REF_SHOWN}  file-not-found`);
    assert.ok(lines.includes('note: loop\\x1b[2J\\u2066: symlink loop'), run.stdout);
  });

  it('check --format json and sarif: the same data, valid JSON, nothing raw', () => {
    for (const format of ['json', 'sarif']) {
      const run = runCli(['check', tree, '--format', format]);
      assert.equal(run.status, 1, run.stderr);
      assertInert(run.stdout, `${format} stdout`);
      assert.ok(run.stdout.includes('adm\\u001b[31m\\u202eevil.conf'), run.stdout);
      const parsed = JSON.parse(run.stdout);
      if (format === 'json') assert.equal(parsed.diagnostics[0].file, HOSTILE_FILE);
      else assert.equal(parsed.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, HOSTILE_FILE);
    }
  });

  it('check: a hostile directory argument is escaped on stderr', () => {
    const run = runCli(['check', join(dir, 'none\u001b[2J\u202e')]);
    assert.equal(run.status, 2);
    assert.equal(run.stderr, `kube-pki check: ${dir}/none\\x1b[2J\\u202e: no such directory\n`);
  });
});
