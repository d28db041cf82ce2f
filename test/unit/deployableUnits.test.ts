import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { isMap, parseAllDocuments } from 'yaml';
import { GuardedReader } from '../../server/src/engine/io/guardedRead';
import { PathGuard } from '../../server/src/engine/io/pathGuard';
import { DeployableUnits, findDeployableUnits, MAX_KUSTOMIZE_DEPTH } from '../../server/src/engine/kube/deployableUnits';
import { membersOfFiles, NamedObject, UnitNameResolver } from '../../server/src/engine/kube/unitNames';

const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'kube-pki-units-')));
after(() => rmSync(scratch, { recursive: true, force: true }));
let repoCount = 0;

/** A repository from { 'relative/path': content }; returns its root. */
function repo(files: Record<string, string>): string {
  const root = join(scratch, `repo${repoCount++}`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** The listing as scanTree makes it: regular files only, links not followed. */
function list(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

function unitsOfRepo(root: string, read: string[] = []): DeployableUnits {
  const reader = new GuardedReader(new PathGuard({ readRoots: [root], writeRoots: [] }));
  const text = (path: string) => {
    read.push(path);
    const { bytes } = reader.read(path, 1 << 20);
    return bytes && Buffer.from(bytes).toString('utf8');
  };
  return findDeployableUnits({ root, files: list(root), reader, text });
}

/** A minimal object model for the tests: kind, metadata.namespace and metadata.name of each document. */
function objectsOf(file: string): NamedObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).flatMap((doc) => {
    const o = doc.toJS();
    if (!isMap(doc.contents) || !o?.kind || !o.metadata?.name) return [];
    return [{ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name, file }];
  });
}

const secret = (name: string, extra = '') => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n${extra}type: kubernetes.io/tls\n`;
const service = (name: string, extra = '') => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n${extra}`;
const kustomization = (resources: string[], namespace?: string) =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${namespace ? `namespace: ${namespace}\n` : ''}resources:\n${resources.map((r) => `  - ${r}\n`).join('')}`;
const rel = (root: string, paths: Iterable<string>) => [...paths].map((p) => relative(root, p)).sort();

const overlays = () =>
  repo({
    'base/kustomization.yaml': kustomization(['service.yaml', 'webhook.yaml', 'old-ns.yaml']),
    'base/service.yaml': service('webhook-svc'),
    'base/webhook.yaml': 'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: policy\n',
    'base/old-ns.yaml': secret('base-ca', '  namespace: old\n'),
    'clusters/prod/kustomization.yaml': kustomization(['../../base', 'secret.yaml'], 'prod'),
    'clusters/prod/secret.yaml': secret('webhook-tls'),
    'clusters/staging/kustomization.yml': kustomization(['../../base', 'secret.yaml'], 'staging'),
    'clusters/staging/secret.yaml': secret('webhook-tls'),
  });

describe('deployable units: kustomize overlays over a shared base', () => {
  it('puts a base used by two overlays in both units, and each overlay resolves its own same-named Secret', () => {
    const root = overlays();
    const units = unitsOfRepo(root);
    const of = units.unitsOf(join(root, 'base/service.yaml'));
    assert.deepEqual(
      rel(
        root,
        of.map((u) => u.id),
      ),
      ['clusters/prod/kustomization.yaml', 'clusters/staging/kustomization.yml'],
    );
    assert.deepEqual(
      rel(
        root,
        units.units.map((u) => u.id),
      ),
      ['clusters/prod/kustomization.yaml', 'clusters/staging/kustomization.yml'],
      'the base is not a unit of its own',
    );
    const resolver = new UnitNameResolver(membersOfFiles(objectsOf));
    for (const unit of of) {
      const env = unit.id.includes('prod') ? 'prod' : 'staging';
      const matches = resolver.resolveName(unit, 'Secret', env, 'webhook-tls');
      assert.deepEqual(
        matches.map((m) => [relative(root, m.object.file), m.namespace]),
        [[`clusters/${env}/secret.yaml`, env]],
      );
      assert.deepEqual(resolver.resolveName(unit, 'Secret', env === 'prod' ? 'staging' : 'prod', 'webhook-tls'), [], 'never across overlays');
    }
  });

  it("applies the overlay's namespace to the base's objects, replacing their own as kustomize does; cluster-scoped kinds keep none", () => {
    const root = overlays();
    const units = unitsOfRepo(root);
    const prod = units.units.find((u) => u.id.includes('prod'))!;
    const resolver = new UnitNameResolver(membersOfFiles(objectsOf));
    assert.deepEqual(
      resolver.resolveName(prod, 'Service', 'prod', 'webhook-svc').map((m) => m.namespace),
      ['prod'],
    );
    assert.deepEqual(resolver.resolveName(prod, 'Service', 'default', 'webhook-svc'), []);
    assert.deepEqual(resolver.resolveName(prod, 'Secret', 'old', 'base-ca'), [], "the base's own namespace is replaced");
    assert.deepEqual(
      resolver.resolveName(prod, 'Secret', 'prod', 'base-ca').map((m) => m.namespace),
      ['prod'],
    );
    assert.deepEqual(
      resolver.resolveName(prod, 'ValidatingWebhookConfiguration', 'prod', 'policy').map((m) => m.namespace),
      [undefined],
    );
    assert.equal(prod.files.get(join(root, 'base/service.yaml'))?.namespace, 'prod');
  });

  it('gives several matches when a unit holds two objects of one name (ambiguous: the caller reports nothing)', () => {
    const root = repo({
      'app/kustomization.yaml': kustomization(['a.yaml', 'b.yaml']),
      'app/a.yaml': secret('tls'),
      'app/b.yaml': secret('tls', '  namespace: web\n'),
    });
    const [unit] = unitsOfRepo(root).units;
    const matches = new UnitNameResolver(membersOfFiles(objectsOf)).resolveName(unit, 'Secret', 'web', 'tls');
    assert.deepEqual(
      rel(
        root,
        matches.map((m) => m.object.file),
      ),
      ['app/a.yaml', 'app/b.yaml'],
      'one in web, one wherever it is applied',
    );
  });
});

describe('deployable units: what is not followed', () => {
  it('survives a kustomization that includes itself and a loop of bases, saying where it stopped', () => {
    const root = repo({
      'self/kustomization.yaml': kustomization(['.', 'z.yaml']),
      'self/z.yaml': secret('z'),
      'loop/a/kustomization.yaml': kustomization(['../b', 'x.yaml']),
      'loop/a/x.yaml': secret('x'),
      'loop/b/kustomization.yaml': kustomization(['../a', 'y.yaml']),
      'loop/b/y.yaml': secret('y'),
    });
    const units = unitsOfRepo(root);
    assert.deepEqual(
      rel(
        root,
        units.unitsOf(join(root, 'self/z.yaml')).map((u) => u.id),
      ),
      ['self/kustomization.yaml'],
    );
    assert.deepEqual(
      units.skipped.map((s) => [relative(root, s.from), s.entry, s.reason]),
      [['self/kustomization.yaml', '.', 'cycle']],
    );
    // A loop has no top kustomization: its files are deployed with their own folder.
    assert.deepEqual(
      rel(
        root,
        units.unitsOf(join(root, 'loop/a/x.yaml')).map((u) => u.id),
      ),
      ['loop/a'],
    );
  });

  it('never reads a resource outside the repository, by a relative path or through a link', () => {
    const outside = repo({ 'secret.yaml': secret('stolen'), 'kustomization.yaml': kustomization(['secret.yaml']) });
    const root = repo({
      'app/kustomization.yaml': kustomization([`../../${relative(scratch, outside)}`, `../../${relative(scratch, outside)}/secret.yaml`, 'link', 'own.yaml']),
      'app/own.yaml': secret('own'),
    });
    symlinkSync(outside, join(root, 'app/link'));
    const read: string[] = [];
    const units = unitsOfRepo(root, read);
    assert.deepEqual(
      units.skipped.map((s) => s.reason),
      ['outside', 'outside', 'outside'],
    );
    assert.deepEqual(rel(root, units.units[0].files.keys()), ['app/own.yaml']);
    assert.deepEqual(
      read.filter((p) => relative(root, p).startsWith('..')),
      [],
    );
  });

  it('skips remote resources (URLs, git references) and names a missing one', () => {
    const root = repo({
      'app/kustomization.yaml': kustomization([
        'https://github.com/example/repo//config/default?ref=v1.2.0',
        'github.com/kubernetes-sigs/kustomize/examples/multibases?ref=v1.0.6',
        'git@github.com:example/repo.git//base',
        'gone.yaml',
        'own.yaml',
      ]),
      'app/own.yaml': secret('own'),
    });
    const units = unitsOfRepo(root);
    assert.deepEqual(
      units.skipped.map((s) => s.reason),
      ['remote', 'remote', 'remote', 'missing'],
    );
    assert.deepEqual(rel(root, units.units[0].files.keys()), ['app/own.yaml']);
  });

  it(`stops a chain of bases ${MAX_KUSTOMIZE_DEPTH} deep`, () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < MAX_KUSTOMIZE_DEPTH + 5; i++) {
      files[`k${i}/kustomization.yaml`] = kustomization([`../k${i + 1}`, 's.yaml']);
      files[`k${i}/s.yaml`] = secret(`s${i}`);
    }
    const root = repo(files);
    const units = unitsOfRepo(root);
    const top = units.units.find((u) => u.id === join(root, 'k0/kustomization.yaml'))!;
    assert.equal(top.files.size, MAX_KUSTOMIZE_DEPTH);
    assert.deepEqual(
      units.skipped.map((s) => s.reason),
      ['too-deep'],
      'the rest of the chain is never read',
    );
  });
});

describe('deployable units without kustomizations, and from GitOps controllers', () => {
  it('deploys a top folder under clusters/ or environments/ together, else each folder on its own', () => {
    const root = repo({
      'clusters/prod/apps/a.yaml': secret('a'),
      'clusters/prod/infra/b.yaml': service('b'),
      'clusters/staging/apps/a.yaml': secret('a'),
      'environments/dev/c.yaml': secret('c'),
      'manifests/web/x.yaml': secret('x'),
      'manifests/web/y.yml': service('y'),
      'manifests/db/z.yaml': secret('z'),
      'manifests/db/notes.txt': 'kind: Secret',
    });
    const units = unitsOfRepo(root);
    assert.deepEqual(units.units.map((u) => [relative(root, u.id), u.origin, rel(root, u.files.keys())]).sort(), [
      ['clusters/prod', 'folder', ['clusters/prod/apps/a.yaml', 'clusters/prod/infra/b.yaml']],
      ['clusters/staging', 'folder', ['clusters/staging/apps/a.yaml']],
      ['environments/dev', 'folder', ['environments/dev/c.yaml']],
      ['manifests/db', 'folder', ['manifests/db/z.yaml']],
      ['manifests/web', 'folder', ['manifests/web/x.yaml', 'manifests/web/y.yml']],
    ]);
    const resolver = new UnitNameResolver(membersOfFiles(objectsOf));
    const prod = units.unitsOf(join(root, 'clusters/prod/infra/b.yaml'))[0];
    assert.deepEqual(
      rel(
        root,
        resolver.resolveName(prod, 'Secret', 'any', 'a').map((m) => m.object.file),
      ),
      ['clusters/prod/apps/a.yaml'],
    );
  });

  it('follows the folders Flux Kustomizations and Argo CD Applications deploy, with their namespaces', () => {
    const root = repo({
      'clusters/prod/apps.yaml':
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\nspec:\n  path: ./apps/prod\n  targetNamespace: prod-apps\n',
      'apps/prod/deploy.yaml': secret('d', '  namespace: mine\n'),
      'apps/prod/sub/svc.yaml': service('s'),
      'argo/app.yaml':
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\nspec:\n  source:\n    path: web\n  destination:\n    namespace: web-ns\n',
      'web/a.yaml': secret('a'),
      'web/b.yaml': secret('b', '  namespace: own\n'),
      'web/deeper/c.yaml': secret('c'),
    });
    const units = unitsOfRepo(root);
    const flux = units.unitsOf(join(root, 'apps/prod/sub/svc.yaml'));
    assert.deepEqual(
      flux.map((u) => [relative(root, u.id), u.origin, relative(root, u.via!)]),
      [['apps/prod', 'flux', 'clusters/prod/apps.yaml']],
    );
    const resolver = new UnitNameResolver(membersOfFiles(objectsOf));
    assert.deepEqual(
      resolver.resolveName(flux[0], 'Secret', 'prod-apps', 'd').map((m) => m.namespace),
      ['prod-apps'],
      'targetNamespace replaces',
    );
    const [argo] = units.unitsOf(join(root, 'web/a.yaml'));
    assert.equal(argo.origin, 'argo');
    assert.deepEqual(rel(root, argo.files.keys()), ['web/a.yaml', 'web/b.yaml'], 'not recursive unless directory.recurse');
    assert.deepEqual(
      resolver.resolveName(argo, 'Secret', 'own', 'b').map((m) => m.namespace),
      ['own'],
      'destination fills only a missing namespace',
    );
    assert.deepEqual(
      resolver.resolveName(argo, 'Secret', 'web-ns', 'a').map((m) => m.namespace),
      ['web-ns'],
    );
    assert.deepEqual(
      rel(
        root,
        units.unitsOf(join(root, 'web/deeper/c.yaml')).map((u) => u.id),
      ),
      ['web/deeper'],
    );
  });
});
