import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, it } from 'node:test';
import { admitYamlText, holdsName, mayHoldYamlDocuments } from '../../server/src/engine/kube/kinds';
import { contentFilter } from '../../server/src/engine/kube/parseConfigText';
import { makeKubeadmNode } from '../support/clusterFixture';
import { makeManualInstallation } from '../support/hardWayFixture';
import { missingPeer } from '../support/openssl';
import { CORPUS_DIR, describeNeeding, REPO_ROOT } from '../support/paths';
import { makeRancherServer } from '../support/rancherFixture';
import { fixtureTrees } from '../support/seed';
import { service } from '../support/service';

/**
 * What a check shows a user, and the objects its hovers and lens read: the filtered check must give the same.
 * Services are read only for the clientConfigs naming them: those no clientConfig names are left out of the comparison.
 */
async function observed(root: string): Promise<string> {
  const report = await service.checkTree(root, { now: new Date('2026-06-01T00:00:00Z') });
  const all = report.context.objects.objects;
  const named = new Set(all.flatMap((o) => o.clientConfigs.flatMap((c) => c.service?.name ?? [])));
  const objects = all
    .filter((o) => o.kind !== 'Service' || named.has(o.name))
    .map((o) => [o.file, o.kind, o.namespace, o.name, o.values.length, o.clientConfigs.length, JSON.stringify(o.links ?? {})]);
  return JSON.stringify({ findings: report.findings, objects, nodes: report.nodes });
}

async function sameWithAndWithoutFilter(root: string): Promise<void> {
  contentFilter.enabled = false;
  let unfiltered: string;
  try {
    unfiltered = await observed(root);
  } finally {
    contentFilter.enabled = true;
  }
  assert.equal(await observed(root), unfiltered);
}

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
const fixtureFolders = [
  FIXTURES,
  ...readdirSync(join(FIXTURES, 'objects')).map((d) => join(FIXTURES, 'objects', d)),
  ...['realworld', 'robustness', 'x509-limbo'].map((d) => join(CORPUS_DIR, d)).filter((d) => existsSync(d)),
];

describeNeeding('content filter: a file no kind reads is not parsed, and the findings stay the same', missingPeer('openssl'), () => {
  for (const folder of fixtureFolders) it(`same findings and objects on ${relative(REPO_ROOT, folder) || folder}`, () => sameWithAndWithoutFilter(folder));

  const kubeadm = fixtureTrees((root) => makeKubeadmNode(root));
  it('same findings on a kubeadm node (a broken reference seeded)', () =>
    sameWithAndWithoutFilter(kubeadm.seeded((root) => rmSync(join(root, 'etc/kubernetes/pki/front-proxy-client.crt')))));
  const rancher = fixtureTrees((root) => makeRancherServer(root));
  it('same findings on a k3s server', () => sameWithAndWithoutFilter(rancher.clean()));
  const manual = fixtureTrees((root) => makeManualInstallation(root));
  it('same findings on a manual installation (systemd units, no manifests)', () => sameWithAndWithoutFilter(manual.clean()));

  // The bench's GitOps generator at 400 files: Services, workloads, webhooks, Secrets and Ingresses across two clusters.
  let gitops: { repo: string; root: string };
  before(() => {
    const root = join(REPO_ROOT, 'out', 'test-gitops-400');
    const made = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { makeGitOps } = await import(${JSON.stringify(join(REPO_ROOT, 'bench', 'makeGitOps.mjs'))}); process.stdout.write(makeGitOps(${JSON.stringify(root)}, 400).repo);`,
      ],
      { encoding: 'utf8' },
    );
    gitops = { repo: made, root };
  });
  after(() => rmSync(gitops.root, { recursive: true, force: true }));

  it('same findings and objects on a GitOps repository, where the filter leaves most files unparsed', async () => {
    await sameWithAndWithoutFilter(gitops.repo);
    const files = execFileSync('find', [gitops.repo, '-name', '*.yaml', '-type', 'f'], { encoding: 'utf8' }).trim().split('\n');
    const parsed = files.filter((f) => mayHoldYamlDocuments(readFileSync(f, 'utf8'))).map((f) => f.split('/').pop());
    // Services (selectors: parsed if a webhook names them), the TLS apps' Secrets, webhooks, Ingresses and Deployments (a Secret volume),
    // Flux's Kustomization (its path names clusters/, as a kubeconfig's key would): not a ConfigMap.
    assert.deepEqual([...new Set(parsed)].sort(), ['apps.yaml', 'deployment.yaml', 'ingress.yaml', 'secret.yaml', 'service.yaml', 'webhook.yaml']);
    assert.equal(files.length, 396);
    assert.equal(parsed.length, 47 + 2 * 2 * 3 + 2 + 2);
    // Of the 47 Services, only those the webhooks name are parsed.
    const objects = (await service.checkTree(gitops.repo)).context.objects.objects;
    const named = new Set(objects.flatMap((o) => o.clientConfigs.map((c) => c.service?.name)));
    const services = objects.filter((o) => o.kind === 'Service');
    assert.equal(named.size, 2);
    assert.deepEqual(new Set(services.map((o) => o.name)), named);
  });
});

describeNeeding('content filter: what admits a text', false, () => {
  const cases: Array<[string, string, boolean]> = [
    ['a ConfigMap without PEM', 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n', false],
    ['a ConfigMap with PEM', 'kind: ConfigMap\ndata:\n  ca.crt: |\n    -----BEGIN CERTIFICATE-----\n', true],
    ['a Deployment without a Secret volume', 'kind: Deployment\nspec: {}\n', false],
    ['a Deployment with one', 'kind: Deployment\nspec:\n  volumes:\n    - secret:\n        secretName: x\n', true],
    ['a Secret', 'kind: Secret\n', true],
    ['a Secret in JSON', '{"apiVersion":"v1","kind" : "Secret"}', true],
    ['a quoted kind', "'kind': 'Pod'\n", true],
    ['a List item', 'kind: List\nitems:\n  - kind: ValidatingWebhookConfiguration\n', true],
    ['a kind on the next line', 'kind:\n  Pod\n', true],
    ['a tagged kind (not read plainly: parsed)', 'kind: !!str Secret\n', true],
    ['an aliased kind', 'kind: *k\n', true],
    ['a kubeconfig without kind', 'clusters: []\nusers: []\n', true],
    ['a Talos machine config', 'version: v1alpha1\nmachine: {}\n', true],
    ['a word that only starts with kind', 'kindnet: true\nkind_of: Secret\n', false],
    ['a Certificate that is not cert-manager', 'apiVersion: example.com/v1\nkind: Certificate\n', false],
    ['a Kustomization', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n', false],
  ];
  for (const [name, text, admitted] of cases) it(`${name}: ${admitted ? 'parsed' : 'not parsed'}`, () => assert.equal(mayHoldYamlDocuments(text), admitted));
  it('a Service alone: parsed only if a document looks its name up; with a Secret beside it: parsed', () => {
    assert.equal(admitYamlText('kind: Service\nspec:\n  selector: {app: a}\n'), 'if-named');
    assert.equal(admitYamlText('kind: Service\nspec: {}\n'), 'no');
    assert.equal(admitYamlText('kind: Service\nspec:\n  selector: {app: a}\n---\nkind: Secret\n'), 'yes');
  });
  it('a name looked up: metadata.name, quoted, or in a label; not a longer name', () => {
    const names = new Set(['web']);
    assert.equal(holdsName('metadata:\n  name: web\n', names), true);
    assert.equal(holdsName('{"metadata": {"name": "web"}}', names), true);
    assert.equal(holdsName('selector:\n  app.kubernetes.io/name: web\n', names), true);
    assert.equal(holdsName('metadata:\n  name: web-2\n', names), false);
    assert.equal(holdsName('metadata:\n  name: web\n', new Set()), false);
  });
});
