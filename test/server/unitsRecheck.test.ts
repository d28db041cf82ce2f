import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
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
    const signer = pki('units-recheck-ca', { subject: [['CN', 'webhook CA']], ca: true });
    const ca = await signer;
    const other = await pki('units-recheck-other-ca', { subject: [['CN', 'other CA']], ca: true });
    const leaf = await pki('units-recheck-leaf', { subject: [['CN', SVC]], sans: [SVC], signer });
    const app = join(root, 'app');
    mkdirSync(app);
    const kustomization = join(app, 'kustomization.yaml');
    const resources = ['webhook.yaml', 'service.yaml', 'deployment.yaml', 'secret.yaml'];
    writeFileSync(kustomization, kustomizationYaml(resources, 'elsewhere'));
    writeFileSync(join(app, 'webhook.yaml'), webhookYaml(other.cert));
    writeFileSync(join(app, 'service.yaml'), serviceYaml());
    writeFileSync(join(app, 'deployment.yaml'), workloadYaml('Deployment'));
    writeFileSync(join(app, 'secret.yaml'), tlsSecretYaml('policy-webhook-tls', undefined, { 'tls.crt': leaf.cert, 'ca.crt': ca.cert }));
    const webhookUri = pathToUri(join(app, 'webhook.yaml'));

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
