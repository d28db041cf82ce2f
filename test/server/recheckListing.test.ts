import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import { pathToUri } from '../../server/src/lsp/convert';
import { fromSection } from '../../server/src/lsp/settings';
import { WorkspaceChecker } from '../../server/src/lsp/workspaceChecker';
import { REPO_ROOT } from '../support/paths';
import { service } from '../support/service';

const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const CERT = 'etc/kubernetes/pki/apiserver.crt';

/** The checker in process, its listings counted: the connection only takes progress and errors. */
function checkerOver(folder: string, overlays: Map<string, string>) {
  const connection = { window: { createWorkDoneProgress: () => Promise.reject(new Error('no progress')) }, console: { error: () => undefined } };
  const publishedUris: string[] = [];
  const checker = new WorkspaceChecker(
    connection as unknown as Connection,
    service,
    () => overlays,
    (uri) => publishedUris.push(uri),
    async () => fromSection({ expiryWarningDays: 30, codeLens: true, ruleSeverities: {}, exclude: [], useGitignore: true }, undefined),
  );
  checker.setFolders([folder]);
  return { checker, publishedUris };
}

const codes = (d: Diagnostic[] | undefined) => (d ?? []).map((x) => x.code).sort();

// Issue 19: a keystroke re-check lists nothing (the watcher tells what changes on disk); a removal
// takes the file out of the last listing; only a creation or a new setting lists the tree again.
describe('the workspace checker lists the folder only when files may have appeared', () => {
  const folders: string[] = [];
  after(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));
  function cluster(): string {
    const root = mkdtempSync(join(tmpdir(), 'kube-pki-listing-'));
    folders.push(root);
    cpSync(join(REPO_ROOT, 'examples', 'cluster'), root, { recursive: true, verbatimSymlinks: true });
    return root;
  }

  it('an edit of a listed file and a change on disk re-check without listing; a removal filters the listing', async () => {
    const root = cluster();
    const overlays = new Map<string, string>();
    const { checker } = checkerOver(root, overlays);
    await checker.runAll();
    assert.equal(checker.listings, 1);
    const apiserver = join(root, APISERVER);
    const before = codes(checker.diagnostics.get(pathToUri(apiserver)));
    assert.ok(before.includes('cert-expired'), `the example's apiserver has its findings: ${before}`);

    // Typing in the manifest: its overlay text is checked, the tree is not listed again.
    overlays.set(apiserver, `# edited\n${readFileSync(apiserver, 'utf8')}`);
    checker.schedule(apiserver);
    await checker.run(root);
    assert.equal(checker.listings, 1);

    // The certificate removed on disk: file-not-found, from the listing the watcher corrected.
    rmSync(join(root, CERT));
    checker.filesChanged([{ path: join(root, CERT), kind: 'deleted' }]);
    await checker.run(root);
    assert.equal(checker.listings, 1);
    assert.ok(codes(checker.diagnostics.get(pathToUri(apiserver))).includes('file-not-found'));

    // Written back: a creation lists the tree again, and the finding goes.
    writeFileSync(join(root, CERT), 'not a certificate\n');
    checker.filesChanged([{ path: join(root, CERT), kind: 'created' }]);
    await checker.run(root);
    assert.equal(checker.listings, 2);
    assert.ok(!codes(checker.diagnostics.get(pathToUri(apiserver))).includes('file-not-found'));

    // A settings change (no path) lists again.
    checker.schedule();
    await checker.run(root);
    assert.equal(checker.listings, 3);
  });

  it('an edit of a file the listing does not hold lists the folder again', async () => {
    const root = cluster();
    const overlays = new Map<string, string>();
    const { checker } = checkerOver(root, overlays);
    await checker.runAll();
    const created = join(root, 'new.yaml');
    overlays.set(created, 'apiVersion: v1\nkind: ConfigMap\n');
    checker.schedule(created);
    await checker.run(root);
    assert.equal(checker.listings, 2);
  });
});
