import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Connection } from 'vscode-languageserver/node';
import { fromSection } from '../../server/src/lsp/settings';
import { WorkspaceChecker } from '../../server/src/lsp/workspaceChecker';
import { pki } from '../support/ruleTester';
import { service } from '../support/service';
import { kustomizationYaml, serviceYaml, tlsSecretYaml, webhookYaml, workloadYaml } from '../support/webhookRepo';

const SVC = 'policy-webhook.policy.svc';

/** Called when a run takes the editor's texts (after it decided whether to list): an event arriving during the pass. */
let duringRun: (() => void) | undefined;

function checkerOver(folder: string, overlays: Map<string, string>): WorkspaceChecker {
  const connection = { window: { createWorkDoneProgress: () => Promise.reject(new Error('no progress')) }, console: { error: () => undefined } };
  const checker = new WorkspaceChecker(
    connection as unknown as Connection,
    service,
    () => (duringRun?.(), overlays),
    () => undefined,
    async () => fromSection({ expiryWarningDays: 30, codeLens: true, ruleSeverities: {}, exclude: [], useGitignore: true }, undefined),
  );
  checker.setFolders([folder]);
  return checker;
}

/** The hover's first paragraph: the value's title and its link lines (the rule tester's certificates are expired by now: that verdict left out). */
const head = (markdown: string | undefined) =>
  markdown
    ?.split('\n\n')[0]
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => !l.endsWith('(cert-expired)'));

// Issue 19: hovers are answered from the first second. A value of the open file needs no other file; its links wait for the pass.
describe('hovers on the open file during the first pass', () => {
  const folders: string[] = [];
  after(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

  it("a Secret's tls.crt is decoded from the open files' own check, without links; after the pass, with them", async () => {
    const root = mkdtempSync(join(tmpdir(), 'kube-pki-early-'));
    folders.push(root);
    const signer = pki('early-hover-ca', { subject: [['CN', 'webhook CA']], ca: true });
    const ca = await signer;
    const leaf = await pki('early-hover-leaf', { subject: [['CN', SVC]], sans: [SVC], signer });
    const app = join(root, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'kustomization.yaml'), kustomizationYaml(['webhook.yaml', 'service.yaml', 'deployment.yaml', 'secret.yaml'], 'policy'));
    writeFileSync(join(app, 'webhook.yaml'), webhookYaml(ca.cert));
    writeFileSync(join(app, 'service.yaml'), serviceYaml());
    writeFileSync(join(app, 'deployment.yaml'), workloadYaml('Deployment'));
    const secret = join(app, 'secret.yaml');
    const text = tlsSecretYaml('policy-webhook-tls', undefined, { 'tls.crt': leaf.cert });
    writeFileSync(secret, text);
    const line = text.split('\n').findIndex((l) => l.startsWith('  tls.crt:'));

    const overlays = new Map([[secret, text]]);
    const checker = checkerOver(root, overlays);
    // Opened before any pass: no listing, no report yet.
    await checker.opened(secret);
    const early = await checker.earlyReport(secret);
    assert.ok(early);
    assert.equal(checker.listings, 0);
    const hover = service.valueHover(early, secret, { line, character: 16 });
    assert.deepEqual(head(hover?.markdown), ['**data.tls.crt** of Secret policy-webhook-tls', '_Links to other objects: once the workspace is checked._']);
    assert.ok(hover?.markdown.includes(SVC), 'the certificate is decoded');
    // Off a value (the Secret's name) there is nothing the open file alone may say.
    assert.equal(service.valueHover(early, secret, { line: 3, character: 9 }), undefined);

    // Typed since: the early check no longer describes the text.
    overlays.set(secret, `${text}# edited\n`);
    assert.equal(await checker.earlyReport(secret), undefined);
    overlays.set(secret, text);

    // After the pass: the hover comes from its report, with the link to the webhook; the early check is gone.
    // The file opened during the pass (the server schedules its re-check): it is in the pass's listing, no second listing.
    duringRun = () => {
      duringRun = undefined;
      checker.schedule(secret);
    };
    await checker.runAll();
    await checker.run(root);
    assert.equal(checker.listings, 1);
    assert.equal(await checker.earlyReport(secret), undefined);
    const report = await checker.latest(secret);
    assert.ok(report);
    assert.deepEqual(head(service.hover(report, secret, { line, character: 16 })?.markdown), [
      '**data.tls.crt** of Secret policy-webhook-tls',
      '← verified by caBundle of ValidatingWebhookConfiguration policy-webhook (webhook validate.policy.example.com), which dials policy-webhook.policy.svc',
    ]);
  });
});
