import assert from 'node:assert/strict';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver/node';
import { pathToUri } from '../../server/src/lsp/convert';
import { makeKubeadmNode } from '../support/clusterFixture';
import { LspTestClient } from '../support/lspClient';
import { missingPeer } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { edit, fixtureTrees } from '../support/seed';

const skip = missingPeer('openssl');
const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';

const started: LspTestClient[] = [];

/** A server started on the tree, as an editor starts it, and what it publishes once at rest. */
async function start(root: string): Promise<{ client: LspTestClient; problems: Array<[string, Diagnostic[]]> }> {
  const client = new LspTestClient();
  started.push(client);
  await client.initialize(pathToUri(root), { trusted: true });
  const problems = [...(await client.settle(500))].sort(([a], [b]) => a.localeCompare(b));
  return { client, problems };
}

describeNeeding('restarts: the client stops or kills the server and starts it again on the same workspace', skip, () => {
  const trees = fixtureTrees((root) => makeKubeadmNode(root));
  // A failed assertion must not leave a server holding the test run open.
  after(() => started.forEach((c) => c.process.exitCode === null && c.process.signalCode === null && c.process.kill('SIGKILL')));

  it('shutdown + exit ends the process with 0, a SIGKILLed server is simply started again, and each new server publishes the same diagnostics', async () => {
    const root = trees.seeded((r) => {
      edit(r, APISERVER, (t) => t.replace('--advertise-address=192.168.10.10', '--advertise-address=192.168.10.60'));
      unlinkSync(join(r, 'etc/kubernetes/pki/front-proxy-client.key'));
    });
    const first = await start(root);
    const codes = first.problems.flatMap(([uri, d]) => d.map((x) => `${x.code} ${uri.slice(pathToUri(root).length + 1)}:${x.range.start.line + 1}`));
    assert.deepEqual(
      codes.sort(),
      ['file-not-found etc/kubernetes/manifests/kube-apiserver.yaml:30', 'san-missing etc/kubernetes/manifests/kube-apiserver.yaml:41'].sort(),
    );
    assert.equal(await first.client.shutdown(), 0, 'shutdown + exit: exit code 0');

    const second = await start(root);
    assert.deepEqual(second.problems, first.problems);
    // An editor restarting a hung server kills it: no request is answered, nothing is cleaned up by the server.
    const killed = new Promise((resolve) => second.client.process.once('exit', (_code, signal) => resolve(signal)));
    second.client.process.kill('SIGKILL');
    assert.equal(await killed, 'SIGKILL');
    second.client.connection.dispose();

    const third = await start(root);
    assert.deepEqual(third.problems, first.problems);
    assert.equal(await third.client.shutdown(), 0);
  });
});
