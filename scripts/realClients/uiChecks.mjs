// The user's view, with a real mouse and keyboard: the packaged .vsix installed
// into code-server, the example cluster opened in chromium; the hover widget,
// the Problems panel, the preview webview and the "Kubernetes PKI" view are
// read from the page and photographed.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, startCodeServer, workbenchUrl } from './codeServer.mjs';
import { checkGenerateFromExplorer, checkReplaceToast } from './toastChecks.mjs';

const STEP_TIMEOUT_MS = 30_000;

function check(condition, message) {
  if (!condition) throw new Error(`UI check failed: ${message}`);
}

async function quickOpen(page, text) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await input.fill(text);
  // Click the row of that file once the list shows it (Enter could take a stale first row).
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text.split('/').pop() }).first();
  await row.waitFor({ timeout: STEP_TIMEOUT_MS });
  await row.click();
}

async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.keyboard.press('Enter');
}

/** Waits until some frame of the page (webviews are nested iframes) has `text` in its body; returns that body's text. */
async function frameText(page, text) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    for (const frame of page.frames().filter((f) => f !== page.mainFrame())) {
      const body = await frame
        .locator('body')
        .innerText({ timeout: 500 })
        .catch(() => '');
      if (body.includes(text)) return body;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`UI check failed: no webview frame shows "${text}"`);
}

/** 1. Hover on --tls-cert-file: the decoded certificate, with a real mouse. */
async function checkHover(page, { shot, around }) {
  await quickOpen(page, 'kube-apiserver.yaml');
  await page.locator('.view-lines', { hasText: 'kube-apiserver' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.keyboard.press('Control+G');
  await page.keyboard.type('41');
  await page.keyboard.press('Enter');
  // Wait for the server's diagnostics and code lenses first: they move the lines, and the hover then carries the finding too.
  await page.locator('.squiggly-error').first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.locator('.codelens-decoration', { hasText: 'CN=kube-apiserver' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.waitForTimeout(300);
  const line = page.locator('.view-lines .view-line', { hasText: '--tls-cert-file=' }).first();
  const token = line.locator('span span', { hasText: 'apiserver.crt' }).last();
  const hover = page.locator('.monaco-hover-content', { hasText: 'CN=kube-apiserver' }).first();
  for (let attempt = 0; ; attempt++) {
    const box = await token.boundingBox();
    check(box, 'the --tls-cert-file value is on screen');
    await page.mouse.move(box.x + box.width - 30, box.y + box.height / 2, { steps: 5 });
    const shown = await hover.waitFor({ timeout: 5000 }).then(
      () => true,
      () => false,
    );
    if (shown) break;
    check(attempt < 5, 'the hover widget appears over --tls-cert-file');
    await page.mouse.move(5, 5);
  }
  const hoverText = await hover.innerText();
  for (const expected of ['CN=kube-apiserver', 'etc/kubernetes/pki/apiserver.crt', 'DNS:kubernetes.default.svc', 'has no SAN 192.168.10.20'])
    check(hoverText.includes(expected), `the hover shows ${expected}`);
  check(!/\\[=:.\-]/.test(hoverText), 'no Markdown escapes are visible in the hover');
  // The answer without scrolling: VS Code caps a hover's height, so the verdicts lead our part of it.
  const viewport = await hover.locator('xpath=ancestor::*[contains(@class, "monaco-scrollable-element")][1]').boundingBox();
  const verdict = await hover.locator('p', { hasText: '✓ signed by etc/kubernetes/pki/ca.crt' }).first().boundingBox();
  check(viewport && verdict && verdict.y + verdict.height <= viewport.y + viewport.height + 1, 'the verdicts are visible without scrolling the hover');
  await shot('hover', await around([hover, line, page.locator('.view-lines .view-line', { hasText: '--etcd-certfile=' }).first()]));
}

/** 2. The Problems panel: the five deliberate mistakes of the example cluster. */
async function checkProblems(page, { shot, around }) {
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+M');
  const rows = page.locator('.markers-panel .monaco-list-row');
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'san-missing' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.waitForTimeout(500);
  const problems = (await rows.allInnerTexts()).join('\n');
  for (const code of ['san-missing', 'cert-expired', 'key-mismatch', 'identity-mismatch']) check(problems.includes(code), `the Problems panel lists ${code}`);
  await shot('problems', await around([page.locator('.part.panel').first()], 0));
}

/** Waits until some webview frame has `text` in its body; returns that frame. */
async function frameWith(page, text) {
  await frameText(page, text);
  for (const frame of page.frames().filter((f) => f !== page.mainFrame())) {
    const body = await frame
      .locator('body')
      .innerText({ timeout: 500 })
      .catch(() => '');
    if (body.includes(text)) return frame;
  }
  throw new Error(`UI check failed: no webview frame shows "${text}"`);
}

/** 3. The preview panel on the apiserver certificate: its timeline under the CA's, the chain in the workspace, where it is named. */
async function checkPreview(page, { shot, around }) {
  await page.keyboard.press('Control+Shift+M'); // hide the panel again
  await quickOpen(page, 'pki/apiserver.crt');
  await page.locator('.view-lines', { hasText: 'BEGIN CERTIFICATE' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await runCommand(page, 'Kubernetes PKI: Preview Certificate');
  const preview = await frameText(page, 'Chain in the workspace');
  for (const expected of ['CN=kube-apiserver', 'days left', 'now', 'Chain in the workspace', '✓ verified', 'Referenced by', 'kube-apiserver.yaml', 'SHA-256'])
    check(preview.includes(expected), `the preview shows ${expected}`);
  const frame = await frameWith(page, 'Referenced by');
  check((await frame.locator('svg.chart rect.win.ca').count()) === 1, 'the timeline draws the CA window above the certificate');
  await page.waitForTimeout(500);
  await shot('preview', await around([page.locator('.part.editor').first()], 0));
  // A reference is a link: the extension opens the manifest at the flag.
  await frame.locator('a.open', { hasText: 'kube-apiserver.yaml' }).first().click();
  await page.locator('.tab.active', { hasText: 'kube-apiserver.yaml' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
}

/** 4. The "Kubernetes PKI" view in the explorer: each CA with what it signed, by role, iconed by the worst finding; By expiry. */
async function checkPkiView(page, { shot, around }) {
  await page.keyboard.press('Control+Shift+E');
  const header = page.locator('.pane-header', { hasText: 'Kubernetes PKI' }).first();
  await header.waitFor({ timeout: STEP_TIMEOUT_MS });
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  // Fold the file explorer first so that the PKI view has the side bar (its rows are drawn only when in view).
  const files = page.locator('.pane-header', { hasText: /^\s*(ui|Explorer)/i }).first();
  if ((await files.getAttribute('aria-expanded').catch(() => null)) === 'true') await files.click().catch(() => undefined);
  await page.locator('.pane-body .monaco-list-row', { hasText: 'By expiry' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.locator('.pane-body .monaco-list-row', { hasText: 'etcd-ca' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  // The mouse away from the rows: no tooltip over the picture.
  await page.mouse.move(700, 20);
  await page.waitForTimeout(500);
  const treeText = (await page.locator('.pane-body .monaco-list-row').allInnerTexts()).join('\n');
  for (const label of ['etcd-ca', 'front-proxy-ca', 'etcd server', 'etcd peer', 'apiserver-kubelet-client', 'By expiry'])
    check(treeText.includes(label), `the PKI view lists ${label}`);
  const kubeletClient = page.locator('.pane-body .monaco-list-row', { hasText: 'apiserver-kubelet-client' }).first();
  check((await kubeletClient.locator('.codicon-error').count()) === 1, 'the key-mismatched apiserver-kubelet-client has the error icon');
  await shot('pki-view', await around([page.locator('.part.sidebar').first()], 0));
}

/** 5. The status bar counts what is due; clicking it lists those certificates. */
async function checkStatusBar(page, { shot, around }) {
  const item = page.locator('.statusbar-item', { hasText: 'PKI: 1 expired' }).first();
  await item.waitFor({ timeout: STEP_TIMEOUT_MS });
  await item.click();
  const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'apiserver-etcd-client' }).first();
  await pick.waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.waitForTimeout(300);
  await shot('status-bar', await around([page.locator('.quick-input-widget').first(), item], 8));
  await pick.click();
  await page.locator('.tab.active', { hasText: 'apiserver-etcd-client.crt' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
}

/** Screenshots for the README: cropped to the part that matters (small PNGs); `failure` is the whole window. */
function screenshotter(page, screenshots) {
  const shot = async (name, clip) => {
    const path = join(screenshots, `${name}.png`);
    await page.screenshot({ path, ...(clip ? { clip } : {}) });
    console.log(`  screenshot: ${path}`);
  };
  const around = async (locators, pad = 16) => {
    const boxes = (await Promise.all(locators.map((l) => l.boundingBox()))).filter(Boolean);
    const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - pad);
    const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - pad);
    return { x, y, width: Math.max(...boxes.map((b) => b.x + b.width)) + pad - x, height: Math.max(...boxes.map((b) => b.y + b.height)) + pad - y };
  };
  return { shot, around, quickOpen };
}

export async function runUiChecks({ root, workspace, scratch, screenshots }) {
  mkdirSync(screenshots, { recursive: true });
  mkdirSync(scratch, { recursive: true });
  // The package users install, not the source folder.
  const vsix = join(scratch, 'kube-pki.vsix');
  execFileSync(join(root, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '-o', vsix], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  // Without the smoke-test driver: it hides notification toasts, and users see them (toastChecks.mjs answers them).
  const server = await startCodeServer(join(scratch, 'code-server'), { trust: true, extensions: [vsix], smokeTestDriver: false });
  const { context, page } = await launchBrowser(join(scratch, 'chromium'));
  const camera = screenshotter(page, screenshots);
  try {
    await page.goto(workbenchUrl(server, workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view').waitFor({ timeout: STEP_TIMEOUT_MS });
    for (const run of [checkHover, checkProblems, checkPreview, checkPkiView, checkStatusBar, checkReplaceToast, checkGenerateFromExplorer])
      await run(page, camera);
    return 0;
  } catch (e) {
    await camera.shot('failure').catch(() => undefined);
    console.error(`${e.message}\n  code-server's log: ${server.output().slice(-2000)}`);
    return 1;
  } finally {
    await context.close().catch(() => undefined);
    await server.stop();
  }
}
