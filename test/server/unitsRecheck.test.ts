import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import { unitWork } from '../../server/src/engine/check/objectUnits';
import { pathToUri } from '../../server/src/lsp/convert';
import { fromSection } from '../../server/src/lsp/settings';
import { WorkspaceChecker } from '../../server/src/lsp/workspaceChecker';
import { pki } from '../support/ruleTester';
import { service } from '../support/service';
import { kustomizationYaml, serviceYaml, tlsSecretYaml, webhookYaml, workloadYaml } from '../support/webhookRepo';

const SVC = 'policy-webhook.policy.svc';

function checkerOver(folder: string, overlays: Map<string, string>): WorkspaceChecker {
  const connection = { window: { createWorkDoneProgress: () => Promise.reject(new Error('no progress')) }, console: { error: () => undefined } };
  const checker = new WorkspaceChecker(
    connection as unknown as Connection,
    service,
    () => overlays,
    () => undefined,
    async () => fromSection({ expiryWarningDays: 30, codeLens: true, ruleSeverities: {}, exclude: [], useGitignore: true }, undefined),
  );
  checker.setFolders([folder]);
  return checker;
}

/**
 * app/ under root: a kustomization listing the webhook, its Service, the Deployment and the serving Secret, the webhook's
 * caBundle another CA's (ca-mismatch once the chain is linked). `kustomization`: the namespace it sets; `objects`: the
 * namespace the objects are written with.
 */
async function webhookApp(root: string, namespaces: { kustomization?: string; objects?: string }) {
  const signer = pki('units-recheck-ca', { subject: [['CN', 'webhook CA']], ca: true });
  const ca = await signer;
  const other = await pki('units-recheck-other-ca', { subject: [['CN', 'other CA']], ca: true });
  const leaf = await pki('units-recheck-leaf', { subject: [['CN', SVC]], sans: [SVC], signer });
  const app = join(root, 'app');
  mkdirSync(app);
  const resources = ['webhook.yaml', 'service.yaml', 'deployment.yaml', 'secret.yaml'];
  const paths = { kustomization: join(app, 'kustomization.yaml'), secret: join(app, 'secret.yaml'), service: join(app, 'service.yaml') };
  const secretText = tlsSecretYaml('policy-webhook-tls', namespaces.objects, { 'tls.crt': leaf.cert, 'ca.crt': ca.cert });
  writeFileSync(paths.kustomization, kustomizationYaml(resources, namespaces.kustomization));
  writeFileSync(join(app, 'webhook.yaml'), webhookYaml(other.cert));
  writeFileSync(paths.service, serviceYaml(namespaces.objects));
  writeFileSync(join(app, 'deployment.yaml'), workloadYaml('Deployment', namespaces.objects));
  writeFileSync(paths.secret, secretText);
  return { ...paths, resources, secretText, webhookUri: pathToUri(join(app, 'webhook.yaml')) };
}

/** The findings that join files (the test's certificates are made for the rule tester's clock: expired here). */
const codes = (d: Diagnostic[] | undefined) =>
  (d ?? [])
    .map((x) => x.code)
    .filter((c) => c === 'ca-mismatch' || c === 'san-missing')
    .sort();

// Issue 19: the server keeps its listing across keystrokes, and the deployable units were memoised per
// listing: an edited kustomization changed nothing until the tree was listed again.
describe('an edited kustomization re-links without a new listing', () => {
  const folders: string[] = [];
  after(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

  it("the kustomization's namespace: typed in the editor moves its objects: the webhook's Service is found, its caBundle is wrong", async () => {
    const root = mkdtempSync(join(tmpdir(), 'kube-pki-units-'));
    folders.push(root);
    const { kustomization, resources, webhookUri } = await webhookApp(root, { kustomization: 'elsewhere' });

    const overlays = new Map<string, string>();
    const checker = checkerOver(root, overlays);
    await checker.runAll();
    // The objects land in "elsewhere": the webhook's Service policy/policy-webhook is not in the workspace, no finding.
    assert.deepEqual(codes(checker.diagnostics.get(webhookUri)), []);

    overlays.set(kustomization, kustomizationYaml(resources, 'policy'));
    checker.schedule(kustomization);
    await checker.run(root);
    assert.equal(checker.listings, 1, 'a keystroke lists nothing');
    assert.deepEqual(codes(checker.diagnostics.get(webhookUri)), ['ca-mismatch']);

    // Back to "elsewhere": the link goes again.
    overlays.set(kustomization, kustomizationYaml(resources, 'elsewhere'));
    checker.schedule(kustomization);
    await checker.run(root);
    assert.deepEqual(codes(checker.diagnostics.get(webhookUri)), []);
  });
});

// Issue 19: a keystroke re-check reuses what the unchanged files made (objects, unit name indexes): a name or
// namespace typed in one file must still move the links, never leave a stale index behind.
describe('a renamed object re-links on a keystroke re-check', () => {
  const folders: string[] = [];
  after(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

  it("the Secret's name and the Service's namespace typed in the editor: the webhook's chain breaks and comes back", async () => {
    const root = mkdtempSync(join(tmpdir(), 'kube-pki-rename-'));
    folders.push(root);
    const { secret, service, secretText, webhookUri } = await webhookApp(root, { objects: 'policy' });
    // Files changed less than a second before they are read are read again on every check (FileCache's racy stamps):
    // the kustomization would look changed to every re-check.
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const overlays = new Map<string, string>();
    const checker = checkerOver(root, overlays);
    await checker.runAll();
    assert.deepEqual(codes(checker.diagnostics.get(webhookUri)), ['ca-mismatch']);
    const found = unitWork.found;

    const edit = async (path: string, text: string, expected: string[], why: string) => {
      overlays.set(path, text);
      checker.schedule(path);
      await checker.run(root);
      assert.deepEqual(codes(checker.diagnostics.get(webhookUri)), expected, why);
    };
    await edit(secret, secretText.replace('name: policy-webhook-tls', 'name: renamed-tls'), [], 'the workload mounts a Secret no longer there');
    await edit(secret, secretText, ['ca-mismatch'], 'the Secret has its name back');
    await edit(service, serviceYaml('elsewhere'), [], "the webhook's Service is in another namespace now");
    await edit(service, serviceYaml('policy'), ['ca-mismatch'], 'the Service is back in policy');
    await edit(service, serviceYaml('policy').replace('name: policy-webhook', 'name: renamed'), [], "the webhook's Service is renamed");
    assert.equal(checker.listings, 1, 'keystrokes list nothing');
    assert.equal(unitWork.found, found, 'no edited file defines units: they are not found again');
  });
});
