// Workspace Trust: in an untrusted window kube-pki still decodes and checks, and writes nothing.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { APISERVER_MANIFEST, activated, codeOf, diagnosticsWith, fileIn, hoverText, kubePkiFixesFor, openAtTlsCertFile } from './workspace';

function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

suite('untrusted workspace', () => {
  suiteSetup(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the runner opened this window untrusted');
    await activated();
  });

  test('hover and diagnostics work', async () => {
    const { uri, position } = await openAtTlsCertFile();
    assert.match(await hoverText(uri, position), /CN=kube-apiserver/);
    const diagnostics = await diagnosticsWith(uri, 'san-missing');
    assert.ok(diagnostics.some((d) => codeOf(d) === 'san-missing'));
  });

  test('the quick fix and Generate cluster PKI… write nothing', async () => {
    const root = fileIn('').fsPath;
    const before = snapshot(root);
    const cert = readFileSync(fileIn('etc/kubernetes/pki/apiserver.crt').fsPath, 'utf8');
    const fixes = await kubePkiFixesFor(fileIn(APISERVER_MANIFEST), 'san-missing');
    assert.equal(fixes.length, 2, 'same key / new key');
    for (const action of fixes) {
      const outcome = await vscode.commands.executeCommand<{ cancelled?: boolean; reason?: string }>(
        action.command!.command,
        ...(action.command!.arguments ?? []),
      );
      assert.equal(outcome?.reason, 'untrusted', `${action.title} is refused`);
    }
    const generated = await vscode.commands.executeCommand('kubePki.generateClusterPki', fileIn('generated'), { nodeName: 'cp-e2e', keyType: 'ECDSA-P256' });
    assert.equal(generated, undefined);
    assert.deepEqual(snapshot(root), before, 'no file was created or removed');
    assert.equal(readFileSync(fileIn('etc/kubernetes/pki/apiserver.crt').fsPath, 'utf8'), cert);
  });

  test("the repository's own settings cannot widen what is read: kubePki.nodeRoot is restricted", async () => {
    const config = vscode.workspace.getConfiguration('kubePki');
    assert.equal(config.get('generation.keyType'), 'ECDSA-P384', "the folder's .vscode/settings.json is read (an unrestricted setting applies)");
    assert.equal(config.get('nodeRoot'), '', 'VS Code withholds the restricted nodeRoot "/" until the folder is trusted');
    // Applied, nodeRoot "/" would send /etc/kubernetes/pki/... to this machine's / : every reference file-not-found.
    const diagnostics = await diagnosticsWith(fileIn(APISERVER_MANIFEST), 'san-missing');
    assert.deepEqual(
      diagnostics.map(codeOf).filter((code) => code === 'file-not-found'),
      [],
    );
  });
});
