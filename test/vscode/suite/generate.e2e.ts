// "Generate cluster PKI…" with given inputs writes a kubeadm-shaped PKI into the chosen folder.
import * as assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { activated, fileIn } from './workspace';

suite('generation commands', () => {
  suiteSetup(activated);

  test('Generate cluster PKI… writes every kubeadm certificate, key and kubeconfig; keys are 0600', async () => {
    const target = fileIn('generated');
    const result = await vscode.commands.executeCommand<{ written?: string[]; error?: string }>('kubePki.generateClusterPki', target, {
      nodeName: 'cp-e2e',
      advertiseAddress: '10.20.30.40',
      serviceCidr: '10.96.0.0/12',
      extraSans: ['api.e2e.example'],
      keyType: 'ECDSA-P256',
    });
    assert.ok(result?.written, `files were written (${result?.error ?? 'no result'})`);
    const pki = join(target.fsPath, 'etc/kubernetes/pki');
    for (const name of [
      'ca.crt',
      'ca.key',
      'apiserver.crt',
      'apiserver.key',
      'apiserver-kubelet-client.crt',
      'front-proxy-ca.crt',
      'front-proxy-client.crt',
      'etcd/ca.crt',
      'etcd/server.crt',
      'etcd/peer.crt',
      'etcd/healthcheck-client.crt',
      'apiserver-etcd-client.crt',
      'sa.key',
      'sa.pub',
    ]) {
      assert.ok(existsSync(join(pki, name)), `${name} written`);
    }
    for (const name of ['admin.conf', 'super-admin.conf', 'controller-manager.conf', 'scheduler.conf', 'kubelet.conf'])
      assert.ok(existsSync(join(target.fsPath, 'etc/kubernetes', name)), `${name} written`);
    for (const key of ['ca.key', 'apiserver.key', 'etcd/server.key', 'sa.key']) assert.equal(statSync(join(pki, key)).mode & 0o777, 0o600, `${key} is 0600`);

    const apiserver = new X509Certificate(readFileSync(join(pki, 'apiserver.crt')));
    assert.match(apiserver.subjectAltName ?? '', /IP Address:10\.20\.30\.40/);
    assert.match(apiserver.subjectAltName ?? '', /IP Address:10\.96\.0\.1/);
    assert.match(apiserver.subjectAltName ?? '', /DNS:api\.e2e\.example/);
    assert.match(apiserver.subjectAltName ?? '', /DNS:cp-e2e/);
    assert.equal(apiserver.publicKey.asymmetricKeyType, 'ec');
    assert.ok(apiserver.verify(new X509Certificate(readFileSync(join(pki, 'ca.crt'))).publicKey), 'signed by the new CA');
  });

  test('running it again writes nothing over the existing files', async () => {
    const target = fileIn('generated');
    const before = readFileSync(join(target.fsPath, 'etc/kubernetes/pki/apiserver.crt'), 'utf8');
    const result = await vscode.commands.executeCommand<{ written?: string[] }>('kubePki.generateClusterPki', target, {
      nodeName: 'other',
      advertiseAddress: '10.0.0.9',
      keyType: 'ECDSA-P256',
    });
    assert.deepEqual(result?.written ?? [], []);
    assert.equal(readFileSync(join(target.fsPath, 'etc/kubernetes/pki/apiserver.crt'), 'utf8'), before);
  });

  test("the explorer's right-click (folder, selection) asks, each prompt prefilled from the workspace's manifests", async () => {
    const target = fileIn('generated-explorer');
    mkdirSync(target.fsPath, { recursive: true });
    // VS Code calls an explorer/context command with (clicked folder, selected folders): the array is no parameters.
    let done = false;
    const running = Promise.resolve(vscode.commands.executeCommand<{ written?: string[] }>('kubePki.generateClusterPki', target, [target])).finally(
      () => (done = true),
    );
    // The user presses Enter on each prompt, keeping its prefilled value (node name, address, CIDR, SANs, key type).
    let accepted = 0;
    for (const deadline = Date.now() + 60_000; !done && Date.now() < deadline; accepted++) {
      await new Promise((r) => setTimeout(r, 300));
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    const result = await running;
    assert.ok(result?.written?.length, 'files were written');
    assert.ok(accepted >= 5, `the command waited for the prompts (${accepted} accepts)`);
    const apiserver = new X509Certificate(readFileSync(join(target.fsPath, 'etc/kubernetes/pki/apiserver.crt')));
    // The example cluster's kube-apiserver manifest: --advertise-address=192.168.10.20 on node cp-1.
    assert.match(apiserver.subjectAltName ?? '', /DNS:cp-1(,|$)/);
    assert.match(apiserver.subjectAltName ?? '', /IP Address:192\.168\.10\.20/);
  });
});
