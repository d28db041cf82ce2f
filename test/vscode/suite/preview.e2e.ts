// Story 3: a PEM file opens in the certificate preview, beside the editor or as a custom editor.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { activated, eventually, fileIn } from './workspace';

function webviewTabs(viewTypeEnd: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(viewTypeEnd));
}

suite('certificate preview', () => {
  suiteSetup(activated);

  test('"Preview Certificate" on ca.crt opens a panel beside the editor', async () => {
    const ca = fileIn('etc/kubernetes/pki/ca.crt');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(ca));
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'pem', '.crt files are PEM documents');
    await vscode.commands.executeCommand('kubePki.previewCertificate');
    const tab = await eventually('the preview tab', () => webviewTabs('kubePki.previewPanel')[0]);
    assert.equal(tab.label, 'Preview ca.crt');
  });

  test('"Open With… Certificate Preview" opens the read-only custom editor', async () => {
    const etcdCa = fileIn('etc/kubernetes/pki/etcd/ca.crt');
    await vscode.commands.executeCommand('vscode.openWith', etcdCa, 'kubePki.certificatePreview');
    const tab = await eventually('the custom editor tab', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'kubePki.certificatePreview'),
    );
    assert.equal((tab.input as vscode.TabInputCustom).uri.toString(), etcdCa.toString());
  });
});
