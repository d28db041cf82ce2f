// `npm test`: sets up what the tests need on this machine, builds, compiles
// the tests and runs every one with Node's built-in runner.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { aptInstall, have } from './debianPackages.mjs';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args, options = {}) => execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...options });

// Real peers: openssl makes and checks certificates in the tests. Install it
// where we can (root on Debian); elsewhere the tests that need it say "skipped".
function ensureDebianPackage(command, pkg, probe) {
  if (have(command, probe)) return;
  aptInstall(pkg);
  if (!have(command, probe))
    console.warn(`\n*** npm test: ${command} is not available and cannot be installed here: tests that need it will report "skipped" (CI installs it) ***\n`);
}
ensureDebianPackage('openssl', 'openssl', ['version']);
// Real peers of the generated PKI: an etcd with mTLS, and kubectl.
ensureDebianPackage('etcd', 'etcd-server', ['--version']);
ensureDebianPackage('etcdctl', 'etcd-client', ['version']);
ensureDebianPackage('kubectl', 'kubernetes-client', ['version', '--client']);
// A second, independent LSP client.
ensureDebianPackage('nvim', 'neovim', ['--version']);
// The pre-commit hook the repository offers, run as its users run it.
ensureDebianPackage('pre-commit', 'pre-commit', ['--version']);

// House style first (format, import order, no unused code, function and file size: biome.json); a
// failure is reported and fails the run, but the tests still run so that one look shows everything.
const lint = spawnSync(process.execPath, [join(root, 'node_modules', '@biomejs', 'biome', 'bin', 'biome'), 'check', '.'], { stdio: 'inherit', cwd: root });
if (lint.status !== 0) console.error('\n*** npm test: the lint failed (npm run lint shows it, npm run format fixes formatting and import order) ***\n');

run(process.execPath, [join(root, 'scripts', 'build.mjs')]);
rmSync(join(root, 'out'), { recursive: true, force: true });
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);

function findTests(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}
const only = process.argv.slice(2);
const files = findTests(join(root, 'out', 'test')).filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
// With no file, `node --test` would discover every test-like file under the checkout (the editor suites included).
if (files.length === 0) {
  console.error(`no compiled test file under out/test matches ${only.map((o) => JSON.stringify(o)).join(' or ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', ...files], { stdio: 'inherit', cwd: root });
let status = result.status ?? 1;
if (lint.status !== 0) status = status || 1;

// The extension inside real VS Code hosts: desktop VS Code through
// @vscode/test-electron (skipped, saying why, where it cannot be downloaded)
// and code-server driven by chromium (installed into a cache folder; CI never skips it).
if (only.length === 0) {
  for (const script of ['test-vscode.mjs', 'test-code-server.mjs']) {
    const client = spawnSync(process.execPath, [join(root, 'scripts', script), '--no-build'], { stdio: 'inherit', cwd: root });
    if (client.status !== 0) status = client.status ?? 1;
  }
}
process.exit(status);
