// Story 2: the seeded SAN fault shows in the Problems panel with its code and range, and the
// quick fix re-issues the apiserver certificate: the file changes on disk and the problem goes away.
import * as assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { APISERVER_MANIFEST, activated, codeOf, diagnosticsWith, eventually, fileIn, kubePkiFixesFor } from './workspace';

suite('problems and quick fix', () => {
  suiteSetup(activated);

  test('every seeded mistake of the example cluster is in the Problems panel with its code and range', async () => {
    const manifest = fileIn(APISERVER_MANIFEST);
    const diagnostics = await diagnosticsWith(manifest, 'san-missing');
    const san = diagnostics.find((d) => codeOf(d) === 'san-missing')!;
    assert.equal(san.severity, vscode.DiagnosticSeverity.Error);
    // The CLI reports 41:23-41:56 (1-based): the value of --tls-cert-file.
    assert.deepEqual([san.range.start.line, san.range.start.character, san.range.end.line, san.range.end.character], [40, 22, 40, 55]);
    assert.equal(san.message, 'apiserver.crt (from --tls-cert-file in kube-apiserver.yaml) has no SAN 192.168.10.20, the --advertise-address');
    assert.deepEqual(diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${codeOf(d)}`).sort(), [
      '23:23 cert-expired',
      '27:28 key-mismatch',
      '41:23 san-missing',
    ]);
    const scheduler = await diagnosticsWith(fileIn('etc/kubernetes/scheduler.conf'), 'identity-mismatch');
    assert.deepEqual(scheduler.map(codeOf), ['identity-mismatch']);
  });

  test('the quick fix re-issues apiserver.crt with the missing SAN and the problem disappears', async () => {
    const manifest = fileIn(APISERVER_MANIFEST);
    const certPath = fileIn('etc/kubernetes/pki/apiserver.crt').fsPath;
    const before = new X509Certificate(readFileSync(certPath));
    assert.doesNotMatch(before.subjectAltName ?? '', /192\.168\.10\.20/);

    // kube-pki's preferred fix keeps the key.
    const ours = await kubePkiFixesFor(manifest, 'san-missing');
    const titles = ours.map((a) => a.title);
    const fix = ours.find((a) => a.isPreferred) ?? ours[0];
    assert.ok(fix?.command, `a quick fix is offered (got: ${titles.join(' | ')})`);
    assert.equal(fix.title, 'Re-issue apiserver.crt with 192.168.10.20 added (signed by ca.crt, same key)');

    // The fix replaces a file, so the server asks first (a notification with Replace / Cancel): answer Replace.
    const running = vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    let answered = false;
    void running.then(() => (answered = true));
    const deadline = Date.now() + 30_000;
    while (!answered && Date.now() < deadline) {
      await vscode.commands.executeCommand('notification.acceptPrimaryAction').then(undefined, () => undefined);
      await new Promise((r) => setTimeout(r, 250));
    }
    await running;

    const after = new X509Certificate(readFileSync(certPath));
    assert.match(after.subjectAltName ?? '', /IP Address:192\.168\.10\.20/);
    assert.notEqual(after.fingerprint256, before.fingerprint256);
    // The old certificate is kept beside it.
    const backups = readdirSync(dirname(certPath)).filter((n) => n.startsWith('apiserver.crt.bak-'));
    assert.equal(backups.length, 1, 'one .bak of the replaced certificate');
    assert.equal(new X509Certificate(readFileSync(join(dirname(certPath), backups[0]))).fingerprint256, before.fingerprint256);
    await eventually('the san-missing diagnostic to go', () =>
      vscode.languages.getDiagnostics(manifest).some((d) => codeOf(d) === 'san-missing') ? undefined : true,
    );
    // The other mistakes are still reported: the fix touched only its own file.
    assert.deepEqual(vscode.languages.getDiagnostics(manifest).map(codeOf).sort(), ['cert-expired', 'key-mismatch']);
  });
});
