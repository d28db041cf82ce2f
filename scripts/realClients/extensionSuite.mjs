// Runs the extension test suite (out/test/vscode/suite) inside code-server's
// real extension host, the way VS Code runs its own browser tests: the
// smoke-test driver's payload names the extension under development and the
// tests; the workbench reports the exit code through codeAutomationExit.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { launchBrowser, startCodeServer, workbenchUrl } from './codeServer.mjs';

const SUITE_TIMEOUT_MS = 5 * 60_000;
/** Must match test/vscode/suite/index.ts. */
const REPORT_PREFIX = '[kube-pki e2e] ';

/** Returns the suite's exit code (0: all passed). `trusted` false opens the folder in restricted mode. */
export async function runExtensionSuite({ root, workspace, scratch, trusted, logFile }) {
  const server = await startCodeServer(join(scratch, 'code-server'), { trust: trusted, env: { KUBE_PKI_E2E_TRUST: trusted ? 'trusted' : 'untrusted' } });
  const { context, page } = await launchBrowser(join(scratch, 'chromium'));
  try {
    let finish;
    const exited = new Promise((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => finish(Number(code)));
    // The extension host's console: the suite's report is shown, the workbench's own logs kept for a failure.
    const workbenchLog = [];
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      for (const line of text.split('\n')) {
        if (line.startsWith(REPORT_PREFIX)) console.log(`  │ ${line.slice(REPORT_PREFIX.length)}`);
        else workbenchLog.push(`${type}: ${line}`);
      }
    });
    page.on('pageerror', (e) => console.error(`  [workbench] ${e.message}`));
    await page.goto(
      workbenchUrl(server, workspace, { extensionDevelopmentPath: root, extensionTestsPath: join(root, 'out', 'test', 'vscode', 'suite', 'index.js') }),
    );
    const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), SUITE_TIMEOUT_MS));
    const code = await Promise.race([exited, timeout]);
    if (code !== 0) {
      writeFileSync(logFile, `${workbenchLog.join('\n')}\n\n--- code-server ---\n${server.output()}`);
      console.error(code === 'timeout' ? `extension suite: no exit code within ${SUITE_TIMEOUT_MS / 1000} s` : `extension suite: exit code ${code}`);
      console.error(`  the workbench's and code-server's logs: ${logFile}`);
    }
    return code === 'timeout' ? 1 : code;
  } finally {
    await context.close().catch(() => undefined);
    await server.stop();
  }
}
