import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../support/paths';

/**
 * The engine's folders, lowest first: a folder imports only from folders before it
 * (docs/architecture.md, "Layers"). A new folder goes into this list at the place its
 * imports allow, so the order stays a decision, never an accident.
 */
export const ENGINE_LAYERS = [
  'severity',
  'text',
  'memo',
  'pki',
  'io',
  'verify',
  'format',
  'distributions',
  'kube',
  'gen',
  'check',
  'renew',
  'fix',
  'rules',
  'run',
  'features',
  'service',
];

// KUBE_PKI_UNDER_TEST points at another checkout (its sources are read, as for the "before" figures).
const CHECKOUT = process.env.KUBE_PKI_UNDER_TEST ? resolve(process.env.KUBE_PKI_UNDER_TEST) : REPO_ROOT;
const ENGINE = join(CHECKOUT, 'server', 'src', 'engine');
const FACES = ['lsp', 'cli', 'server.ts', 'server.js', 'server'].map((f) => join(CHECKOUT, 'server', 'src', f));

interface Import {
  file: string;
  specifier: string;
  /** Absolute path the specifier resolves to, for relative specifiers. */
  target?: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

// Our own sources (not user content): `from '…'` also covers `import type` and multi-line imports.
const SPECIFIERS = [/\bfrom\s*'([^']+)'/g, /\bimport\s*\(\s*'([^']+)'/g, /\brequire\s*\(\s*'([^']+)'/g, /^\s*import\s+'([^']+)'/gm];

export function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  return SPECIFIERS.flatMap((pattern) =>
    [...text.matchAll(pattern)].map((m) => ({ file, specifier: m[1], target: m[1].startsWith('.') ? resolve(dirname(file), m[1]) : undefined })),
  );
}

/** The engine folder a path is in: `memo` for memo.ts, the first segment otherwise; undefined outside the engine. */
function folderOf(path: string): string | undefined {
  const rel = relative(ENGINE, path);
  if (rel.startsWith('..')) return undefined;
  const first = rel.split(sep)[0];
  return first.replace(/\.(ts|js)$/, '');
}

function engineImports(): Array<Import & { from: string; to?: string }> {
  return sourceFiles(ENGINE).flatMap((file) => importsOf(file).map((i) => ({ ...i, from: folderOf(file)!, to: i.target ? folderOf(i.target) : undefined })));
}

/** Folder -> folders it imports from, with one importing file per edge (for the message). */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const i of engineImports()) {
    if (!i.to || i.to === i.from) continue;
    const edges = graph.get(i.from) ?? new Map<string, string>();
    if (!edges.has(i.to)) edges.set(i.to, `${relative(ENGINE, i.file)} imports ${i.specifier}`);
    graph.set(i.from, edges);
  }
  return graph;
}

/** Every strongly connected set of folders (Tarjan): each one of more than a folder is a cycle. */
export function folderCycles(graph: Map<string, Map<string, string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('engine import direction', () => {
  it('the engine folders form no cycle', () => {
    const graph = folderGraph();
    const cycles = folderCycles(graph).map((c) => {
      const inside = new Set(c);
      const edges = c.flatMap((from) => [...(graph.get(from) ?? [])].filter(([to]) => inside.has(to)).map(([to, why]) => `  ${from} -> ${to} (${why})`));
      return `${c.join(' <-> ')}\n${edges.join('\n')}`;
    });
    assert.deepEqual(cycles, [], `folder cycles:\n${cycles.join('\n')}`);
  });

  it('every engine folder has its place in the layer order', () => {
    const unplaced = [...new Set(sourceFiles(ENGINE).map((f) => folderOf(f)!))].filter((f) => !ENGINE_LAYERS.includes(f));
    assert.deepEqual(unplaced, [], `add these folders to ENGINE_LAYERS (test/unit/importDirection.test.ts) and docs/architecture.md: ${unplaced.join(', ')}`);
  });

  it('a folder imports only from folders below it', () => {
    const upward = engineImports()
      .filter((i) => i.to && i.to !== i.from && ENGINE_LAYERS.indexOf(i.to) > ENGINE_LAYERS.indexOf(i.from))
      .map((i) => `${relative(ENGINE, i.file)}: '${i.specifier}' (${i.from} is below ${i.to})`);
    assert.deepEqual(upward, [], `upward imports (layers, lowest first: ${ENGINE_LAYERS.join(' < ')}):\n${upward.join('\n')}`);
  });

  it('no engine file imports an editor API or one of the faces (lsp, cli, server)', () => {
    const faces = engineImports()
      .filter(
        (i) =>
          /^vscode($|-)/.test(i.specifier) ||
          (i.target && FACES.some((f) => i.target === f || i.target!.startsWith(f + sep))) ||
          (i.target && !i.to && !i.target.startsWith(ENGINE)),
      )
      .map((i) => `${relative(ENGINE, i.file)}: '${i.specifier}'`);
    assert.deepEqual(faces, [], faces.join('\n'));
  });

  it('reads the imports a reader would: type-only, multi-line, dynamic and re-exports', () => {
    // The checker itself: a miss here would let an upward import through unseen.
    const probe = importsOf(join(ENGINE, 'rules', 'helpers.ts')).map((i) => i.specifier);
    assert.ok(probe.length > 0, 'rules/helpers.ts has imports');
    const samples =
      "import type { A } from './a';\nimport {\n  B,\n  C,\n} from '../b';\nexport { D } from '../d';\nconst e = require('../e');\nconst f = await import('../f');\nimport '../g';\n";
    const found = SPECIFIERS.flatMap((p) => [...samples.matchAll(p)].map((m) => m[1])).sort();
    assert.deepEqual(found, ['../b', '../d', '../e', '../f', '../g', './a']);
  });
});
