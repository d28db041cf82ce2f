import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToUri } from '../../server/src/lsp/convert';
import { LspTestClient } from '../support/lspClient';
import { REPO_ROOT } from '../support/paths';

const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';

// What the user excludes (kubePki.exclude, VS Code's files.exclude) gets no diagnostics in the editor;
// a reference naming an excluded file (a key) still resolves and is checked.
describe('kubePki.exclude and files.exclude in the editor', () => {
  const root = mkdtempSync(join(tmpdir(), 'kube-pki-exclude-lsp-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  before(() => cpSync(join(REPO_ROOT, 'examples', 'cluster'), root, { recursive: true, verbatimSymlinks: true }));

  /** Every published diagnostic, as "relative/path code" lines, sorted. */
  async function problems(settings: Record<string, unknown>): Promise<string[]> {
    const client = new LspTestClient();
    client.settings = settings;
    await client.initialize(pathToUri(root), { trusted: true }, { pullSettings: true });
    try {
      const published = await client.settle(300);
      const prefix = `${pathToUri(root)}/`;
      return [...published].flatMap(([uri, list]) => list.map((d) => `${uri.slice(prefix.length)} ${d.code}`)).sort();
    } finally {
      await client.shutdown();
    }
  }

  it('kubePki.exclude hides the excluded files and only them; files.exclude likewise, and an excluded key is still checked', async () => {
    const all = await problems({ kubePki: {} });
    const manifests = all.filter((p) => p.startsWith('etc/kubernetes/manifests/'));
    assert.ok(manifests.includes(`${APISERVER} key-mismatch`), all.join('\n'));
    assert.ok(all.length > manifests.length, all.join('\n'));

    // Without the manifests as documents, the kubeconfigs are checked on their own: an expired client certificate is
    // reported on its file, not at the manifest's flag, and admin.conf's CA is no longer compared with the API server's.
    const excluded = await problems({ kubePki: { exclude: ['etc/kubernetes/manifests/**'] } });
    assert.deepEqual(excluded, [
      'etc/kubernetes/admin.conf key-permissions',
      'etc/kubernetes/controller-manager.conf key-permissions',
      'etc/kubernetes/kubelet.conf key-permissions',
      'etc/kubernetes/pki/apiserver-etcd-client.crt cert-expired',
      'etc/kubernetes/scheduler.conf identity-mismatch',
      'etc/kubernetes/scheduler.conf key-permissions',
      'etc/kubernetes/super-admin.conf key-permissions',
    ]);

    // files.exclude: the entries set to true, as VS Code's explorer reads them.
    const hidden = await problems({ kubePki: {}, 'files.exclude': { '**/manifests': true, '**/*.conf': false } });
    assert.deepEqual(hidden, excluded);
    // The keys are not documents, yet each reference to one still resolves: the manifest's key-mismatch stands, nothing changes.
    const withoutKeys = await problems({ kubePki: { exclude: ['**/*.key'] }, 'files.exclude': { '**/*.key': true } });
    assert.deepEqual(withoutKeys, all);
  });
});
