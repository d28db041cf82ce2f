// The CLI as people install it, not as this checkout runs it: the npm tarball
// installed into an empty prefix, the single executable on a PATH without
// Node.js, and the pre-commit hook run by Debian's pre-commit.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cli';
import { describeNeeding, REPO_ROOT } from '../support/paths';
import { missingProgram } from '../support/peers';

const EXAMPLE = join(REPO_ROOT, 'examples', 'cluster');

/** The environment a user's shell has: none of the npm_* variables an outer `npm test` sets (they would steer a nested npm). */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
  return { ...env, ...extra };
}

/** What `node bin/kube-pki.js` of this checkout prints: the reference every installed form must match byte for byte. */
function reference(args: string[]) {
  const run = runCli(args);
  return { status: run.status, stdout: run.stdout };
}

describe('the npm tarball (npm pack) installed into an empty prefix', () => {
  let work: string;
  let files: string[];
  let prefix: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'kube-pki-pack-'));
    // The test runner has just built dist/ (npm pack runs the same build through `prepare` when a user packs).
    const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
      cwd: REPO_ROOT,
      env: userEnv(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [info] = JSON.parse(packed) as { filename: string; files: { path: string }[] }[];
    files = info.files.map((f) => f.path).sort();
    prefix = join(work, 'prefix');
    execFileSync('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', join(work, info.filename)], {
      env: userEnv(),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('carries the two bundles, the two commands and the rule pages, not the sources, tests or examples', () => {
    for (const needed of ['bin/kube-pki.js', 'bin/kube-pki-language-server.js', 'dist/cli.js', 'dist/server.js', 'docs/rules/san-missing.md', 'README.md'])
      assert.ok(files.includes(needed), `${needed} is in the tarball`);
    const stray = files.filter((f) => /^(test|server|client|examples|scripts|bench|out)\//.test(f) || f === 'dist/client.js');
    assert.deepEqual(stray, []);
  });

  it('installs without a single dependency: the bundles carry what they need', () => {
    assert.equal(existsSync(join(prefix, 'lib', 'node_modules', 'kube-pki', 'node_modules')), false);
  });

  it('kube-pki check on the example cluster prints what the repository build prints, and exits 1', () => {
    const args = ['check', EXAMPLE];
    const installed = spawnSync(join(prefix, 'bin', 'kube-pki'), args, { encoding: 'utf8', env: userEnv() });
    const expected = reference(args);
    assert.equal(installed.status, 1);
    assert.equal(expected.status, 1);
    assert.equal(installed.stdout, expected.stdout);
    assert.match(installed.stdout, /✖ 5 problems/);
  });

  it('kube-pki-language-server answers an LSP initialize over stdio', async () => {
    const server = spawn(join(prefix, 'bin', 'kube-pki-language-server'), ['--stdio'], { env: userEnv() });
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    server.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    let reply = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no initialize result; got ${JSON.stringify(reply)}`)), 30_000);
      server.stdout.on('data', (chunk) => {
        reply += chunk;
        if (reply.includes('"capabilities"')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    server.kill();
    assert.match(reply, /"hoverProvider":true/);
  });
});

const seaSkip =
  process.platform === 'linux' && process.arch === 'x64'
    ? undefined
    : `skipped: single executables are built for linux-x64, this is ${process.platform}-${process.arch}`;

describeNeeding('the single executable (npm run sea) on a PATH without Node.js', seaSkip, () => {
  let bin: string;

  before(() => {
    bin = mkdtempSync(join(tmpdir(), 'kube-pki-sea-'));
    execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'buildSea.mjs'), '--out', join(bin, 'kube-pki')], { stdio: ['ignore', 'ignore', 'ignore'] });
  });
  after(() => rmSync(bin, { recursive: true, force: true }));

  const runAlone = (args: string[]) => spawnSync(join(bin, 'kube-pki'), args, { encoding: 'utf8', env: { PATH: bin }, cwd: bin });

  it('has no node to lean on', () => {
    assert.notEqual(spawnSync('/bin/sh', ['-c', 'command -v node'], { env: { PATH: bin } }).status, 0);
    assert.deepEqual(readdirSync(bin), ['kube-pki']);
  });

  it('kube-pki check on the example cluster prints what the repository build prints, and exits 1', () => {
    const args = ['check', EXAMPLE];
    const alone = runAlone(args);
    assert.equal(alone.stderr, '');
    assert.equal(alone.status, 1);
    assert.equal(alone.stdout, reference(args).stdout);
  });

  it('kube-pki expiry, the command a node without Node.js needs most, prints the same table and exit code', () => {
    const args = ['expiry', EXAMPLE, '--now', '2026-12-01T00:00:00Z'];
    const alone = runAlone(args);
    const expected = reference(args);
    assert.equal(alone.status, 1);
    assert.equal(alone.stdout, expected.stdout);
    assert.match(alone.stdout, /apiserver-etcd-client/);
  });

  it('kube-pki renew re-issues a copy of the example cluster as the repository build plans it', () => {
    const plan = ['renew', EXAMPLE, '--all', '--dry-run', '--now', '2027-06-01T00:00:00Z'];
    assert.equal(runAlone(plan).stdout, reference(plan).stdout);
    const copy = mkdtempSync(join(tmpdir(), 'kube-pki-sea-renew-'));
    try {
      cpSync(EXAMPLE, copy, { recursive: true, verbatimSymlinks: true });
      const renewed = runAlone(['renew', copy, '--all', '--now', '2027-06-01T00:00:00Z']);
      assert.equal(renewed.status, 0, renewed.stdout + renewed.stderr);
      assert.ok(readdirSync(join(copy, 'etc', 'kubernetes', 'pki')).some((f) => f.startsWith('apiserver.crt.bak-')));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('kube-pki inspect decodes a certificate the same way', () => {
    const args = ['inspect', join(EXAMPLE, 'etc', 'kubernetes', 'pki', 'ca.crt')];
    const alone = runAlone(args);
    assert.equal(alone.status, 0);
    assert.equal(alone.stdout, reference(args).stdout);
  });
});

const preCommitSkip = missingProgram('pre-commit', ['--version'], 'pre-commit');

describeNeeding("pre-commit runs kube-pki check through this repository's .pre-commit-hooks.yaml", preCommitSkip, () => {
  let work: string;

  /** A git repository holding `tree` whose .pre-commit-config.yaml uses this checkout's hook at its HEAD, as a user's would at a tag. */
  function repositoryWith(tree: string): string {
    const repo = join(work, `repo-${readdirSync(work).length}`);
    mkdirSync(repo);
    cpSync(tree, repo, { recursive: true, verbatimSymlinks: true });
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    writeFileSync(join(repo, '.pre-commit-config.yaml'), `repos:\n  - repo: ${REPO_ROOT}\n    rev: ${head}\n    hooks:\n      - id: kube-pki-check\n`);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore', env: userEnv() });
    git('init', '-q');
    git('add', '-A');
    git('-c', 'user.name=kube-pki test', '-c', 'user.email=test@kube-pki.invalid', 'commit', '-q', '-m', 'cluster');
    return repo;
  }

  // The first run installs the hook's environment (npm install, npm pack, npm install -g: about a minute); the second reuses it.
  const runHook = (repo: string) =>
    spawnSync('pre-commit', ['run', '--all-files'], {
      cwd: repo,
      encoding: 'utf8',
      env: userEnv({ PRE_COMMIT_HOME: join(work, 'pre-commit-home'), NO_COLOR: '1' }),
      timeout: 600_000,
    });

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'kube-pki-pre-commit-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('fails the commit on the example cluster, showing the checker report', () => {
    const run = runHook(repositoryWith(EXAMPLE));
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /kube-pki check\.+Failed/);
    assert.match(run.stdout, /san-missing/);
    assert.match(run.stdout, /✖ 5 problems/);
  });

  it('passes on a clean generated cluster', () => {
    const clean = join(work, 'clean');
    assert.equal(runCli(['gen', 'pki', clean, '--node-name', 'cp-1', '--advertise-address', '10.0.0.10']).status, 0);
    const run = runHook(repositoryWith(clean));
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /kube-pki check\.+Passed/);
  });
});
