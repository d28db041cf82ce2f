// `npm run test:vscode`: the extension test suite (out/test/vscode/suite, the
// same files code-server runs) inside desktop VS Code through
// @vscode/test-electron, in a trusted and an untrusted window.
//
// VS Code is downloaded by test-electron, or taken from VSCODE_EXECUTABLE_PATH.
// Where neither works (no network to VS Code's servers, as on CI here) this
// says "skipped: why" loudly and exits 0: `npm run test:code-server` runs the
// same suite in a real extension host without a download.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { exampleWorkspace, TEST_USER_SETTINGS } from './realClients/workspace.mjs';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

let vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH;
if (!vscodeExecutablePath) {
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({ cachePath: join(root, '.vscode-test'), timeout: 30_000 });
  } catch (e) {
    console.warn(
      `\n*** test:vscode skipped: VS Code cannot be downloaded here (${e.message.split('\n')[0]}) and VSCODE_EXECUTABLE_PATH is not set. The same suite runs in code-server: npm run test:code-server ***\n`,
    );
    process.exit(0);
  }
}

if (!process.argv.includes('--no-build')) {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
}

const scratch = mkdtempSync(join(tmpdir(), 'kube-pki-vscode-'));
let failed = false;
for (const trust of ['trusted', 'untrusted']) {
  const userDataDir = join(scratch, `user-${trust}`);
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(TEST_USER_SETTINGS, null, 2));
  const workspace = exampleWorkspace(root, scratch, trust);
  console.log(`\n▶ extension suite in VS Code (${trust} workspace)`);
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'out', 'test', 'vscode', 'suite', 'index.js'),
      extensionTestsEnv: { KUBE_PKI_E2E_TRUST: trust },
      launchArgs: [workspace, '--user-data-dir', userDataDir, '--disable-extensions', ...(trust === 'trusted' ? ['--disable-workspace-trust'] : [])],
    });
  } catch (e) {
    console.error(`✖ extension suite in VS Code (${trust}): ${e.message}`);
    failed = true;
  }
}
rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
process.exit(failed ? 1 : 0);
