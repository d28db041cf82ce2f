import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { IncluderIndex, lastSegments } from '../../server/src/engine/kube/includerIndex';
import { KUSTOMIZATION_NAMES } from '../../server/src/engine/kube/kustomization';
import { folderIndex } from '../../server/src/engine/kube/repositoryFolders';
import { CORPUS_DIR, REPO_ROOT } from '../support/paths';

// The includer index drops a word without building its path when its last segment ends no listed path
// (lastSegments): the candidates of every listed file and folder must be those of the index that builds every word.

function list(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

/** Candidates of every listed file and folder, by path, from an index made with `names` (undefined: every word built). */
function candidatesOf(root: string, files: string[], text: (path: string) => string, names?: (all: string[]) => Set<string>): Map<string, string[]> {
  const folders = folderIndex(root, files);
  const all = [...folders.listed, ...folders.files.keys()];
  const index = new IncluderIndex((path) => folders.listed.has(path) || folders.files.has(path), names?.(all));
  for (const file of files) if (KUSTOMIZATION_NAMES.includes(basename(file))) index.add(file, text(file));
  return new Map(all.map((path) => [relative(root, path), [...index.candidates(path)].map((k) => relative(root, k))]));
}

function assertSameCandidates(root: string, files: string[], text: (path: string) => string): number {
  const fast = candidatesOf(root, files, text, lastSegments);
  assert.deepEqual(fast, candidatesOf(root, files, text));
  return [...fast.values()].reduce((n, c) => n + c.length, 0);
}

const onDisk = (root: string) => assertSameCandidates(root, list(root), (p) => readFileSync(p, 'utf8'));

describe('the includer index drops by last segment only words that name no listed path', () => {
  const tricky: Record<string, string> = {
    'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - "./svc/"\n  - \'../base//secret.yaml\'\n  - ../other/./x.yaml\n',
    'base/deployment.yaml': 'kind: Deployment\n',
    'base/svc/service.yaml': 'kind: Service\n',
    'base/secret.yaml': 'kind: Secret\n',
    'other/x.yaml': 'kind: ConfigMap\n',
    'overlay/kustomization.yaml': 'resources: [../base, ../other/x.yaml,svc.yaml]\ncomponents:\n- ../ünïcode/\n',
    'ünïcode/kustomization.yaml': 'resources:\n- ./über.yaml\n',
    'ünïcode/über.yaml': 'kind: ConfigMap\n',
    'escaped/kustomization.yaml': 'resources:\n- "..\\/base"\n',
  };
  const root = '/repo';
  const files = Object.keys(tricky).map((p) => `${root}/${p}`);
  const text = (p: string) => tricky[p.slice(root.length + 1)];

  it('a tree of `.`/`..` entries, quoted and flow entries, trailing slashes, non-ASCII names, an escape', () => {
    assert.ok(assertSameCandidates(root, files, text) > 0);
    // The comparison sees a dropped word: without the segment `deployment.yaml`, base/deployment.yaml loses its includer.
    const partial = (all: string[]) => new Set([...lastSegments(all)].filter((n) => n !== 'deployment.yaml'));
    assert.notDeepEqual(candidatesOf(root, files, text, partial), candidatesOf(root, files, text));
  });

  it('the fixtures, the examples and the corpus', () => {
    const found = [join(REPO_ROOT, 'test/fixtures'), join(REPO_ROOT, 'examples'), CORPUS_DIR].map(onDisk);
    assert.ok(found[0] > 0, `candidates found: ${found}`);
  });
});
