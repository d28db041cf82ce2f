import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { GuardedReader } from '../../server/src/engine/io/guardedRead';
import { PathGuard } from '../../server/src/engine/io/pathGuard';
import { type DeployableUnit, findDeployableUnits, type Membership, OUT } from '../../server/src/engine/kube/deployableUnits';
import { REPO_ROOT } from '../support/paths';
import { kustomizationYaml, serviceYaml, tlsSecretYaml, webhookYaml, workloadYaml } from '../support/webhookRepo';

// The units of a file, found lazily (only the kustomizations that may include it parsed), are those found for
// the whole repository at once: the same units in the same order, each giving the file the same namespace rule.

interface Tree {
  root: string;
  files: string[];
  text: (path: string) => string | undefined;
}

/** The listing as scanTree makes it: regular files only, links not followed. */
function list(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

const onDisk = (root: string): Tree => ({ root, files: list(root), text: (p) => readFileSync(p, 'utf8') });

function inMemory(files: Record<string, string>): Tree {
  const root = '/repo';
  const texts = new Map(Object.entries(files).map(([path, text]) => [`${root}/${path}`, text]));
  return { root, files: [...texts.keys()].sort(), text: (p) => texts.get(p) };
}

const ruleText = (rule: Membership) => (rule === OUT ? 'not a member' : rule ? `${rule.namespace}${rule.override ? ' (override)' : ''}` : 'own namespace');

/** Every file's lazy units against the eager ones; returns how many (file, unit) pairs and which origins were compared. */
function assertSameUnits(tree: Tree): { pairs: number; origins: Set<string> } {
  const reader = new GuardedReader(new PathGuard({ readRoots: [tree.root], writeRoots: [] }));
  const make = () => findDeployableUnits({ root: tree.root, files: tree.files, reader, text: tree.text });
  const eager = make().units;
  const eagerOf = new Map<string, DeployableUnit[]>();
  for (const unit of eager) for (const file of unit.files.keys()) eagerOf.set(file, [...(eagerOf.get(file) ?? []), unit]);
  const rel = (path: string | undefined) => path && (relative(tree.root, path) || '.');
  const view = (unit: DeployableUnit, rule: Membership) => `${unit.origin} ${rel(unit.id)}${unit.via ? ` via ${rel(unit.via)}` : ''}: ${ruleText(rule)}`;
  const lazy = make();
  const origins = new Set<string>();
  const wholeCompared = new Set<DeployableUnit>();
  let pairs = 0;
  // Asked in reverse listing order: the lazy memos are filled in another order than the eager pass.
  for (const file of [...tree.files].reverse()) {
    const want = (eagerOf.get(file) ?? []).map((unit) => view(unit, unit.files.get(file)));
    const got = lazy.unitsOf(file).map((unit) => view(unit, lazy.ruleIn(unit, file)));
    assert.deepEqual(got, want, rel(file));
    for (const unit of lazy.unitsOf(file)) {
      origins.add(unit.origin);
      if (wholeCompared.has(unit)) continue;
      wholeCompared.add(unit);
      // The whole unit, asked as a whole, holds the eager unit's members with their rules.
      const same = eagerOf.get(file)!.find((u) => u.id === unit.id && u.via === unit.via)!;
      assert.deepEqual(
        [...unit.files].map(([f, r]) => `${rel(f)}: ${ruleText(r)}`),
        [...same.files].map(([f, r]) => `${rel(f)}: ${ruleText(r)}`),
      );
    }
    pairs += want.length;
  }
  return { pairs, origins };
}

const k = (lines: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${lines}`;
const flux = (path: string, namespace?: string) =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: x\nspec:\n  path: ${path}\n${namespace ? `  targetNamespace: ${namespace}\n` : ''}`;
const argo = (path: string, recurse: boolean) =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: x\nspec:\n  destination:\n    namespace: argo-ns\n  source:\n    path: ${path}\n${recurse ? '    directory:\n      recurse: true\n' : ''}`;
const obj = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

/** Every shape the prefilter must not lose: `.`/`..` entries, components, cycles, namespaces, overlays of overlays, pointers. */
function generated(): Tree {
  const chain = Object.fromEntries(
    Array.from({ length: 36 }, (_, i) => [
      [`chain/k${i}/kustomization.yaml`, k(`resources:\n  - own.yaml\n${i < 35 ? `  - ../k${i + 1}\n` : ''}`)],
      [`chain/k${i}/own.yaml`, obj(`c${i}`)],
    ]).flat(),
  );
  return inMemory({
    ...chain,
    'bases/web/kustomization.yaml': k('resources: [deployment.yaml, service.yaml]\n'),
    'bases/web/deployment.yaml': obj('web'),
    'bases/web/service.yaml': obj('web-svc'),
    'bases/db/Kustomization': k("namespace: db\nresources:\n  - ./statefulset.yaml\n  - '../db/secret.yaml'\n"),
    'bases/db/statefulset.yaml': obj('db'),
    'bases/db/secret.yaml': obj('db-secret'),
    'components/tls/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - cert.yaml\n',
    'components/tls/cert.yaml': obj('cert'),
    'overlays/prod/kustomization.yaml': k(
      'namespace: prod\nresources:\n  - "../../bases/web"\n  - ../../bases/db/\n  - ../staging/extra.yaml\ncomponents: [../../components/tls]\n',
    ),
    'overlays/prod/patch.yaml': obj('patch'),
    'overlays/staging/kustomization.yaml': k('namespace: staging\nresources:\n- ../../bases/web\n- extra.yaml\n'),
    'overlays/staging/extra.yaml': obj('extra'),
    'overlays/prod-eu/kustomization.yaml': k('namespace: prod-eu\nresources:\n  - ../prod\n'),
    'overlays/plain/kustomization.yaml': k('resources:\n  - ../../bases/db\n'),
    'dot/kustomization.yaml': k('resources:\n  - .\n  - ./a.yaml\n'),
    'dot/a.yaml': obj('a'),
    'updir/sub/kustomization.yaml': k('resources:\n  - ..\n  - s.yaml\n'),
    'updir/sub/s.yaml': obj('s'),
    'updir/kustomization.yaml': k('namespace: up\nresources:\n  - x.yaml\n'),
    'updir/x.yaml': obj('x'),
    'loop/a/kustomization.yaml': k('resources: [../b, a.yaml]\n'),
    'loop/b/kustomization.yaml': k('resources: [../a, b.yaml]\n'),
    'loop/a/a.yaml': obj('la'),
    'loop/b/b.yaml': obj('lb'),
    'cycle/top/kustomization.yaml': k('namespace: top\nresources: [../a]\n'),
    'cycle/a/kustomization.yaml': k('resources: [../b, a.yaml]\n'),
    'cycle/b/kustomization.yaml': k('namespace: b\nresources: [../a, b.yaml]\n'),
    'cycle/a/a.yaml': obj('ca'),
    'cycle/b/b.yaml': obj('cb'),
    'my app/kustomization.yaml': k('resources: ["svc one.yaml"]\n'),
    'my app/svc one.yaml': obj('spaced'),
    'apps/kustomization.yaml': k('resources: ["../my app", ../bases/web/kustomization.yaml]\n'),
    'blk/kustomization.yaml': k('resources:\n  - >-\n    ../bases/web\n'),
    'esc/kustomization.yaml': k('resources:\n  - "../bases/d\\x62"\n'),
    'remote/kustomization.yaml': k('resources:\n  - https://github.com/x/y?ref=v1\n  - missing.yaml\n  - ../../outside\n  - here.yaml\n'),
    'remote/here.yaml': obj('here'),
    'clusters/prod/apps/x.yaml': obj('cx'),
    'clusters/prod/y/z.yaml': obj('cz'),
    'environments/dev/a/b.yaml': obj('eb'),
    'notes/readme.md': '# not YAML\n',
    'gitops/flux-staging.yaml': flux('./overlays/staging', 'flux-ns'),
    'gitops/flux-plain.yaml': flux('./plain'),
    'gitops/argo.yaml': argo('argo-src', false),
    'gitops/argo-eu.yaml': `${argo('overlays/prod-eu', true)}---\n${argo('nowhere', false)}`,
    'plain/a.yaml': obj('pa'),
    'plain/sub/kustomization.yaml': k('resources: [s.yaml, ../../bases/db]\n'),
    'plain/sub/s.yaml': obj('ps'),
    'plain/sub/other.yaml': obj('po'),
    'argo-src/a.yaml': obj('aa'),
    'argo-src/deep/b.yaml': obj('ab'),
  });
}

describe('deployable units found lazily equal those found for the whole repository', () => {
  it('a generated tree of every shape: `.` and `..` entries, components, cycles, namespaces, overlays of overlays, Flux and Argo', () => {
    const { pairs, origins } = assertSameUnits(generated());
    assert.ok(pairs > 60, `${pairs} pairs compared`);
    assert.deepEqual([...origins].sort(), ['argo', 'flux', 'folder', 'kustomization']);
  });

  it('the unit trees of the link tests (overlays over a shared base, clusters/<x> folders)', () => {
    const webhook = { 'webhook.yaml': webhookYaml(undefined), 'service.yaml': serviceYaml('policy'), 'deployment.yaml': workloadYaml('Deployment', 'policy') };
    const secret = tlsSecretYaml('policy-webhook-tls', 'policy', { 'tls.crt': 'x' });
    const overlays = inMemory({
      ...Object.fromEntries(Object.entries(webhook).map(([f, t]) => [`base/${f}`, t])),
      'base/kustomization.yaml': kustomizationYaml(['webhook.yaml', 'service.yaml', 'deployment.yaml']),
      'overlays/prod/kustomization.yaml': kustomizationYaml(['../../base', 'secret.yaml'], 'policy'),
      'overlays/prod/secret.yaml': secret,
      'overlays/staging/kustomization.yaml': kustomizationYaml(['../../base', 'secret.yaml'], 'policy'),
      'overlays/staging/secret.yaml': secret,
      'overlays/dev/kustomization.yaml': kustomizationYaml(['../../base'], 'web'),
    });
    assert.ok(assertSameUnits(overlays).pairs >= 8);
    const clusters = inMemory(
      Object.fromEntries(['prod', 'staging'].flatMap((c) => Object.entries({ ...webhook, 'secret.yaml': secret }).map(([f, t]) => [`clusters/${c}/${f}`, t]))),
    );
    assert.equal(assertSameUnits(clusters).pairs, 8);
  });

  it('the fixtures and the examples', () => {
    for (const dir of ['test/fixtures', 'test/fixtures/objects', 'test/fixtures/objects/links/units', 'examples'])
      assert.ok(assertSameUnits(onDisk(join(REPO_ROOT, dir))).pairs > 0, dir);
  });

  const gitopsRoot = join(REPO_ROOT, 'out', 'test-gitops-lazy-units');
  after(() => rmSync(gitopsRoot, { recursive: true, force: true }));
  it("the bench's GitOps trees made small: Flux over overlays over bases, two clusters", () => {
    for (const files of [2000, 1000]) {
      const repo = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const { makeGitOps } = await import(${JSON.stringify(join(REPO_ROOT, 'bench', 'makeGitOps.mjs'))}); process.stdout.write(makeGitOps(${JSON.stringify(join(gitopsRoot, String(files)))}, ${files}).repo);`,
        ],
        { encoding: 'utf8' },
      );
      const { pairs, origins } = assertSameUnits(onDisk(repo));
      assert.ok(pairs > files / 2, `${files}: ${pairs} pairs`);
      assert.deepEqual([...origins].sort(), ['flux', 'kustomization']);
    }
  });
});

describe('the per-file lookups are bounded like the whole-repository pass', () => {
  // Many overlays over one base, every base file asked: the includers examined over all lookups stop at the budget,
  // after which a file keeps what was found (its folder's unit when nothing was), as the eager pass stops adding members.
  const overlays = 6;
  const files: Record<string, string> = { 'base/kustomization.yaml': k('resources:\n  - a.yaml\n  - b.yaml\n  - c.yaml\n') };
  for (const name of ['a', 'b', 'c']) files[`base/${name}.yaml`] = obj(name);
  for (let i = 0; i < overlays; i++) files[`overlay-${i}/kustomization.yaml`] = k('resources:\n  - ../base\n');
  const tree = inMemory(files);
  const unitsWithin = (maxMemberships?: number) => {
    const reader = new GuardedReader(new PathGuard({ readRoots: [tree.root], writeRoots: [] }));
    const units = findDeployableUnits({ root: tree.root, files: tree.files, reader, text: tree.text, maxMemberships });
    return ['a', 'b', 'c'].map((name) => units.unitsOf(`${tree.root}/base/${name}.yaml`).map((u) => relative(tree.root, u.id)));
  };

  it('unbounded: every base file is in every overlay', () => {
    const all = Array.from({ length: overlays }, (_, i) => `overlay-${i}/kustomization.yaml`);
    assert.deepEqual(unitsWithin(), [all, all, all]);
  });

  it('a budget of 8 includers: the first file asked gets its 7 (base and six overlays), the next what is left, the last its folder', () => {
    const [a, b, c] = unitsWithin(8);
    assert.equal(a.length, overlays);
    assert.ok(b.length < overlays, `b: ${b.join(', ')}`);
    assert.deepEqual(c, ['base']);
  });
});
