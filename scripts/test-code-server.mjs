// `npm run test:code-server`: the extension inside a real VS Code (code-server's
// extension host, driven by Debian's chromium). Runs the extension test suite
// in a trusted and in an untrusted window, then checks the UI with a real
// mouse and keyboard and saves screenshots (out/screenshots).
//
// Installs what it needs into a cache folder outside the repository (Node 24,
// code-server, chromium from apt). Where that is impossible (no npm, no root
// for apt) it says "skipped: why" loudly; under CI=true, or when an install
// could run and failed, it fails instead. `--install-only`
// installs and stops (.ci/run does that first, so its log shows each step).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExtensionSuite } from './realClients/extensionSuite.mjs';
import { ensureRealClients } from './realClients/tools.mjs';
import { runUiChecks } from './realClients/uiChecks.mjs';
import { exampleWorkspace as exampleWorkspaceIn } from './realClients/workspace.mjs';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const args = process.argv.slice(2);

// Skipped only where the clients cannot be had (no npm, no root for apt-get); an install that could run and
// failed fails the suite, and under CI=true nothing may be missing.
const missing = ensureRealClients();
if (missing) {
  const why = missing.failed ?? missing.unavailable;
  if (missing.failed || process.env.CI) {
    console.error(`\n*** test:code-server FAILED: ${why} ***\n`);
    process.exit(1);
  }
  console.warn(`\n*** test:code-server skipped: ${why} ***\n`);
  process.exit(0);
}

if (args.includes('--install-only')) process.exit(0);

if (!args.includes('--no-build')) {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
}

const scratch = mkdtempSync(join(tmpdir(), 'kube-pki-code-server-'));
const exampleWorkspace = (name) => exampleWorkspaceIn(root, scratch, name);

// Logs and screenshots outlive the scratch folder.
const logs = join(root, 'out', 'real-clients');
mkdirSync(logs, { recursive: true });
const results = [];
async function step(name, run) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  let code;
  try {
    code = await run();
  } catch (e) {
    console.error(e.stack ?? String(e));
    code = 1;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push({ name, code, seconds });
  console.log(`${code === 0 ? '✔' : '✖'} ${name} (${seconds} s)`);
}

const only = args.filter((a) => !a.startsWith('--'));
const wanted = (name) => only.length === 0 || only.includes(name);
if (wanted('trusted'))
  await step('extension suite in code-server (trusted workspace)', () =>
    runExtensionSuite({
      root,
      workspace: exampleWorkspace('trusted'),
      scratch: join(scratch, 'run-trusted'),
      trusted: true,
      logFile: join(logs, 'trusted.log'),
    }),
  );
if (wanted('untrusted'))
  await step('extension suite in code-server (untrusted workspace)', () =>
    runExtensionSuite({
      root,
      workspace: exampleWorkspace('untrusted'),
      scratch: join(scratch, 'run-untrusted'),
      trusted: false,
      logFile: join(logs, 'untrusted.log'),
    }),
  );
if (wanted('ui'))
  await step('UI checks in code-server + chromium (hover, Problems, preview, PKI view)', () =>
    runUiChecks({ root, workspace: exampleWorkspace('ui'), scratch: join(scratch, 'run-ui'), screenshots: join(logs, 'screenshots') }),
  );

// code-server's children may still be closing files: retry, and never fail the run over a temp folder.
if (!process.env.KUBE_PKI_KEEP_SCRATCH) {
  try {
    rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  } catch (e) {
    console.warn(`could not remove ${scratch}: ${e.message}`);
  }
}
console.log('\ncode-server runs:');
for (const r of results) console.log(`  ${r.code === 0 ? 'pass' : 'FAIL'}  ${r.seconds.padStart(6)} s  ${r.name}`);
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
