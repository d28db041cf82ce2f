import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver/node';
import { pathToUri, uriToPath } from '../../server/src/lsp/convert';
import { runCli } from '../support/cli';
import { LspTestClient } from '../support/lspClient';
import { REPO_ROOT } from '../support/paths';

/** A finding as one line: file, code, range and message, the way both faces place it. */
type Row = string;

function cliRows(folder: string): Row[] {
  const run = runCli(['check', folder, '--format', 'json']);
  const json = JSON.parse(run.stdout) as { diagnostics: Array<Record<string, string | number>> };
  return json.diagnostics.map((d) => `${join(folder, String(d.file))} ${d.code} ${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.message}`).sort();
}

function serverRows(published: Map<string, Diagnostic[]>): Row[] {
  return [...published].flatMap(([uri, diagnostics]) =>
    diagnostics.map((d) => {
      const { start, end } = d.range;
      return `${uriToPath(uri)} ${d.code} ${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${typeof d.message === 'string' ? d.message : d.message.value}`;
    }),
  );
}

// Issue 17 "Scale": single-file findings may come first, the pass's replace them; once it ends, the
// Problems panel holds exactly what a cold `kube-pki check` of the same folder prints.
describe('the language server ends with the findings of a cold check', () => {
  const trees: Array<{ name: string; folder: string; open: string }> = [
    { name: 'API objects (test/fixtures/objects)', folder: join(REPO_ROOT, 'test/fixtures/objects'), open: 'bad/key-mismatch.yaml' },
    { name: 'a kubeadm node (examples/cluster)', folder: join(REPO_ROOT, 'examples/cluster'), open: 'etc/kubernetes/manifests/kube-apiserver.yaml' },
  ];
  for (const tree of trees) {
    describe(tree.name, () => {
      let client: LspTestClient;
      let published: Map<string, Diagnostic[]>;
      before(async () => {
        client = new LspTestClient();
        await client.initialize(pathToUri(tree.folder), { trusted: true });
        // Opened while the first pass runs: its own findings may be published first.
        const open = join(tree.folder, tree.open);
        await client.open(pathToUri(open), readFileSync(open, 'utf8'), 'yaml');
        published = await client.settle(300);
      });
      after(() => client.shutdown());

      it('the union of published diagnostics equals the CLI JSON findings (codes, files, ranges, messages)', () => {
        const expected = cliRows(tree.folder);
        assert.ok(expected.length > 0, `the tree has findings (${relative(REPO_ROOT, tree.folder)})`);
        assert.deepEqual(serverRows(published).sort(), expected);
      });
    });
  }
});
