// One code-server instance on 127.0.0.1 with everything it writes kept in its
// own folder, and one headless chromium page on it (playwright-core).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromiumPath, codeServerBin, node24Env } from './tools.mjs';
import { TEST_USER_SETTINGS } from './workspace.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server. `trust`: false leaves Workspace Trust on, so a new folder opens untrusted.
 * `env` reaches the extension host (the suite reads KUBE_PKI_E2E_TRUST from it). `smokeTestDriver`: the
 * driver runs the suite's payload but hides notification toasts; the UI checks run without it.
 */
export async function startCodeServer(dir, { trust = true, env = {}, extensions = [], theme, smokeTestDriver = true } = {}) {
  const port = await freePort();
  for (const sub of ['user/User', 'ext', 'config', 'data', 'cache', 'tmp']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(
    join(dir, 'user', 'User', 'settings.json'),
    JSON.stringify({ ...TEST_USER_SETTINGS, ...(theme ? { 'workbench.colorTheme': theme } : {}) }, null, 2),
  );
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const childEnv = node24Env({
    EXTENSIONS_GALLERY: '{}',
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    TMPDIR: join(dir, 'tmp'),
    ...env,
  });
  const common = [
    '--config',
    config,
    '--user-data-dir',
    join(dir, 'user'),
    '--extensions-dir',
    join(dir, 'ext'),
    '--disable-telemetry',
    '--disable-update-check',
  ];
  for (const vsix of extensions) {
    const install = spawn(codeServerBin, [...common, '--install-extension', vsix], { env: childEnv, stdio: 'inherit' });
    const status = await new Promise((resolve) => install.on('exit', resolve));
    if (status !== 0) throw new Error(`code-server --install-extension ${vsix} exited ${status}`);
  }
  // The config file carries the address and auth: none.
  const args = smokeTestDriver ? [...common, '--vscode-option', 'enable-smoke-test-driver'] : [...common];
  if (trust) args.push('--disable-workspace-trust');
  const child = spawn(codeServerBin, args, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`code-server did not answer /healthz within 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    port,
    base,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([new Promise((r) => child.on('exit', r)), new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** A headless chromium with its own profile folder (playwright-core drives Debian's chromium; nothing is downloaded). */
export async function launchBrowser(profileDir, viewport = { width: 1400, height: 860 }) {
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

/** The URL that opens `folder`, optionally with the smoke-test driver's payload (extension under development, tests). */
export function workbenchUrl(server, folder, payload) {
  const query = new URLSearchParams({ folder });
  if (payload) {
    const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const entries = [['skipWelcome', 'true']];
    if (payload.extensionDevelopmentPath) entries.push(['extensionDevelopmentPath', remote(payload.extensionDevelopmentPath)]);
    if (payload.extensionTestsPath) entries.push(['extensionTestsPath', remote(payload.extensionTestsPath)]);
    query.set('payload', JSON.stringify(entries));
  }
  return `${server.base}/?${query}`;
}
