import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import { PathGuard } from '../../server/src/engine/io/pathGuard';
import { createKubePkiService } from '../../server/src/engine/service';
import { findingToDiagnostic, pathToUri } from '../../server/src/lsp/convert';
import { fromSection } from '../../server/src/lsp/settings';
import { DiskChange, WorkspaceChecker } from '../../server/src/lsp/workspaceChecker';
import { makeKubeadmNode } from '../support/clusterFixture';
import { hasOpenssl } from '../support/openssl';
import { CORPUS_DIR, REPO_ROOT } from '../support/paths';
import { makeRancherServer } from '../support/rancherFixture';

// Issue 19: a change on disk re-checks only what it can affect (the previous check's nodes and targets are used
// again where their inputs are unchanged). What the server publishes after each change must be what a check from
// scratch of the same files gives: the same clock for both, every file's diagnostics compared.
const NOW = new Date('2026-06-01T12:00:00Z');
const service = createKubePkiService({ guard: () => PathGuard.forCli(), now: () => NOW });
const SETTINGS = fromSection({ expiryWarningDays: 30, codeLens: true, ruleSeverities: {}, exclude: [], useGitignore: true }, undefined);

function checkerOver(folder: string, overlays: ReadonlyMap<string, string> = new Map()): WorkspaceChecker {
  const connection = { window: { createWorkDoneProgress: () => Promise.reject(new Error('no progress')) }, console: { error: () => undefined } };
  const checker = new WorkspaceChecker(
    connection as unknown as Connection,
    service,
    () => overlays,
    () => undefined,
    async () => SETTINGS,
  );
  checker.setFolders([folder]);
  return checker;
}

/** Every file's diagnostics as the server would publish them after a check from scratch. */
async function fromScratch(folder: string, overlays?: ReadonlyMap<string, string>): Promise<string> {
  const report = await service.checkTree(folder, { expiryWarningDays: 30, overlays });
  const byUri = new Map<string, Diagnostic[]>();
  for (const finding of report.findings) {
    const uri = pathToUri(finding.file);
    byUri.set(uri, [...(byUri.get(uri) ?? []), findingToDiagnostic(finding)]);
  }
  return shown(byUri);
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 1100));

const shown = (byUri: ReadonlyMap<string, Diagnostic[]>) =>
  JSON.stringify(
    [...byUri].sort(([a], [b]) => a.localeCompare(b)),
    undefined,
    1,
  );

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

interface Step {
  what: string;
  apply: () => DiskChange[];
  /** A content change the watcher reported: the re-check must take the incremental path (the previous nodes kept). */
  incremental?: boolean;
}

/**
 * The changes a user makes in a terminal, on files picked by content: a referenced certificate replaced by one from
 * elsewhere in the tree (another cluster's, where there is one), a key replaced, the certificate removed and written
 * back, a manifest naming it edited to name a missing file, a key made world-readable, all restored.
 */
function stepsFor(root: string): Step[] {
  const files = filesUnder(root);
  const text = new Map(files.map((f) => [f, readFileSync(f, 'latin1')]));
  const holding = (marker: string) => files.filter((f) => text.get(f)!.startsWith('-----BEGIN') && text.get(f)!.includes(marker));
  const configs = files.filter((f) => !text.get(f)!.startsWith('-----BEGIN'));
  const named = (f: string) => configs.find((c) => text.get(c)!.includes(`/${basename(f)}`));
  const other = (f: string, among: string[]) =>
    among.find((o) => dirname(dirname(o)) !== dirname(dirname(f)) && text.get(o) !== text.get(f)) ?? among.find((o) => text.get(o) !== text.get(f));
  const certs = holding('CERTIFICATE-----');
  const keys = holding('PRIVATE KEY-----');
  const cert = certs.find((c) => named(c) && other(c, certs)) ?? certs.find((c) => other(c, certs));
  const key = keys.find((k) => named(k) && other(k, keys)) ?? keys.find((k) => other(k, keys));
  const manifest = (cert && named(cert)) ?? configs.find((c) => /\.(crt|pem)\b/.test(text.get(c)!));
  const change = (path: string, kind: DiskChange['kind'] = 'changed'): DiskChange => ({ path, kind });
  const write = (path: string, content: string): DiskChange => (writeFileSync(path, content, 'latin1'), change(path));
  const steps: Step[] = [];
  if (cert) {
    steps.push(
      { what: `${basename(cert)} replaced by ${other(cert, certs)}`, apply: () => [write(cert, text.get(other(cert, certs)!)!)], incremental: true },
      { what: `${basename(cert)} written back`, apply: () => [write(cert, text.get(cert)!)] },
      { what: `${basename(cert)} made unreadable PEM`, apply: () => [write(cert, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')] },
      { what: `${basename(cert)} removed`, apply: () => (rmSync(cert), [change(cert, 'deleted')]) },
      { what: `${basename(cert)} restored`, apply: () => (writeFileSync(cert, text.get(cert)!, 'latin1'), [change(cert, 'created')]) },
    );
  }
  if (manifest) {
    const edited = text.get(manifest)!.replace(cert && named(cert) ? `/${basename(cert)}` : /\.(crt|pem)\b/, '/missing.crt');
    steps.push(
      { what: `${basename(manifest)} names a missing file`, apply: () => [write(manifest, edited)] },
      { what: `${basename(manifest)} removed`, apply: () => (rmSync(manifest), [change(manifest, 'deleted')]) },
      { what: `${basename(manifest)} restored`, apply: () => (writeFileSync(manifest, text.get(manifest)!, 'latin1'), [change(manifest, 'created')]) },
      { what: `${basename(manifest)} edited again`, apply: () => [write(manifest, edited)] },
      { what: `${basename(manifest)} written back`, apply: () => [write(manifest, text.get(manifest)!)] },
    );
  }
  // The node's name: what the kubelet's client certificate and the serving names are held to.
  for (const hostname of files.filter((f) => f.endsWith('/etc/hostname')).slice(0, 1)) {
    steps.push(
      { what: `${hostname} names another node`, apply: () => [write(hostname, 'another-node\n')] },
      { what: `${hostname} written back`, apply: () => [write(hostname, text.get(hostname)!)] },
    );
  }
  if (key) {
    steps.push(
      { what: `${basename(key)} replaced by ${other(key, keys)}`, apply: () => [write(key, text.get(other(key, keys)!)!)], incremental: true },
      { what: `${basename(key)} world-readable`, apply: () => (chmodSync(key, 0o644), [change(key)]) },
      { what: `${basename(key)} removed`, apply: () => (rmSync(key), [change(key, 'deleted')]) },
      { what: `${basename(key)} restored`, apply: () => (writeFileSync(key, text.get(key)!, { encoding: 'latin1', mode: 0o600 }), [change(key, 'created')]) },
    );
  }
  return steps;
}

describe('a re-check after changes on disk publishes what a check from scratch does', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'kube-pki-incremental-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const trees: Array<{ name: string; make: (dir: string) => void; skip?: string }> = [
    { name: 'examples/cluster', make: (dir) => cpSync(join(REPO_ROOT, 'examples', 'cluster'), dir, { recursive: true }) },
    {
      name: 'two kubeadm clusters',
      skip: hasOpenssl() ? undefined : 'openssl not installed',
      make: (dir) => {
        makeKubeadmNode(join(dir, 'c0', 'cp-0'), { nodeName: 'cp-0' });
        makeKubeadmNode(join(dir, 'c1', 'cp-1'), { nodeName: 'cp-1', advertiseAddress: '192.168.20.10' });
      },
    },
    { name: 'test/fixtures', make: (dir) => cpSync(join(REPO_ROOT, 'test', 'fixtures'), dir, { recursive: true }) },
    ...['kubespray', 'kubernetes-the-hard-way', 'kops', 'minikube', 'etcd', 'kubernetes'].map((name) => ({
      name: `corpus realworld/${name}`,
      skip: existsSync(join(CORPUS_DIR, 'realworld', name)) ? undefined : 'corpus not found',
      make: (dir: string) => cpSync(join(CORPUS_DIR, 'realworld', name), dir, { recursive: true }),
    })),
  ];
  for (const tree of trees) {
    it(tree.name, { skip: tree.skip }, async () => {
      const root = join(scratch, tree.name.replace(/[^a-z0-9]+/gi, '-'));
      tree.make(root);
      // Files changed within a second of being read are read again by every check (timestamps are coarse):
      // a tree older than that is what the incremental path meets.
      await settle();
      const checker = checkerOver(root);
      await checker.runAll();
      const initial = await fromScratch(root);
      assert.equal(shown(checker.diagnostics), initial, 'the first pass');
      const steps = stepsFor(root);
      assert.ok(steps.length >= 5, `changes found to make in ${tree.name}: ${steps.map((s) => s.what)}`);
      let changedSome = false;
      for (const step of steps) {
        // Files written just before are read again by every check until a second has passed: let them settle, and
        // a re-check read them once more.
        if (step.incremental) await settle().then(() => checker.run(root));
        const before = (await checker.latest(root))!.context.nodes;
        checker.filesChanged(step.apply());
        await checker.run(root);
        if (step.incremental) assert.ok((await checker.latest(root))!.context.nodes === before, `the previous nodes kept after: ${step.what}`);
        const expected = await fromScratch(root);
        changedSome ||= expected !== initial;
        assert.equal(shown(checker.diagnostics), expected, `after: ${step.what}`);
      }
      // The steps must change what is published, else equality would prove nothing.
      assert.ok(changedSome, `no step changed the diagnostics of ${tree.name}`);
    });
  }
});

// A removal the watcher reports keeps the previous nodes and resolutions where the removed file cannot change them
// (buildNodes never read it, no suffix search counts it). Each of these removals can: each must be seen.
describe('a removal re-checks what the removed file could change', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'kube-pki-removal-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const kubeconfig = kubeconfigNamingCa('/etc/kubernetes/pki/ca.crt', ['- name: lab', '  context: {cluster: lab, user: lab}', 'current-context: lab']);

  it('a certificate, a CA a suffix search finds, a distribution signature file', { skip: hasOpenssl() ? undefined : 'openssl not installed' }, async () => {
    const root = join(scratch, 'tree');
    makeKubeadmNode(join(root, 'c0', 'cp-0'), { nodeName: 'cp-0' });
    makeKubeadmNode(join(root, 'c1', 'cp-1'), { nodeName: 'cp-1', advertiseAddress: '192.168.20.10' });
    makeRancherServer(join(root, 'k3s-0'));
    // Outside any node: its CA path is found by its suffix alone, ambiguous while both clusters hold a ca.crt.
    mkdirSync(join(root, 'loose'));
    writeFileSync(join(root, 'loose', 'lab.conf'), kubeconfig);
    await settle();
    const checker = checkerOver(root);
    await checker.runAll();
    assert.equal(shown(checker.diagnostics), await fromScratch(root), 'the first pass');
    const loose = pathToUri(join(root, 'loose', 'lab.conf'));
    const removals = [
      { path: join(root, 'c0', 'cp-0', 'etc/kubernetes/pki/front-proxy-client.crt'), keepsNodes: true, changes: undefined },
      { path: join(root, 'c1', 'cp-1', 'etc/kubernetes/pki/ca.crt'), keepsNodes: true, changes: loose },
      { path: join(root, 'k3s-0', 'var/lib/rancher/k3s/server/tls/client-ca.crt'), keepsNodes: false, changes: undefined },
    ];
    for (const { path, keepsNodes, changes } of removals) {
      const saved = readFileSync(path);
      const before = (await checker.latest(root))!.context.nodes;
      const published = JSON.stringify(checker.diagnostics.get(changes ?? ''));
      rmSync(path);
      checker.filesChanged([{ path, kind: 'deleted' }]);
      await checker.run(root);
      assert.equal(shown(checker.diagnostics), await fromScratch(root), `after removing ${path}`);
      assert.equal((await checker.latest(root))!.context.nodes === before, keepsNodes, `the previous nodes kept after removing ${path}`);
      if (changes) assert.notEqual(JSON.stringify(checker.diagnostics.get(changes)), published, `${changes} re-judged after removing ${path}`);
      writeFileSync(path, saved);
      checker.filesChanged([{ path, kind: 'created' }]);
      await checker.run(root);
      assert.equal(shown(checker.diagnostics), await fromScratch(root), `after restoring ${path}`);
    }
  });
});

// A keystroke re-checks from the last listing: the files it did not touch are used as the last open made them, and the
// nodes are kept while the edited file adds nothing to a node (a Secret, a webhook). Each keystroke must publish what a
// check from scratch of the same texts gives, also when the edit turns the file into one a node reads (a kubeconfig).
describe('keystrokes in open documents publish what a check from scratch of the same texts does', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'kube-pki-keystrokes-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('Secrets, webhooks and kustomizations of test/fixtures/objects', async () => {
    const root = join(scratch, 'objects');
    cpSync(join(REPO_ROOT, 'test', 'fixtures', 'objects'), root, { recursive: true });
    await settle();
    const overlays = new Map<string, string>();
    const checker = checkerOver(root, overlays);
    await checker.runAll();
    const initial = await fromScratch(root);
    assert.equal(shown(checker.diagnostics), initial, 'the first pass');
    const text = (path: string) => overlays.get(path) ?? readFileSync(path, 'utf8');
    const line = (path: string, key: string) =>
      text(path)
        .split('\n')
        .find((l) => l.trimStart().startsWith(`${key}:`))!;
    const secret = join(root, 'links/units/prod/secret.yaml');
    const webhook = join(root, 'links/units/prod/webhook.yaml');
    const kustomization = join(root, 'links/units/staging/kustomization.yaml');
    const mismatched = join(root, 'bad/key-mismatch.yaml');
    const foreign = join(root, 'clean/webhook-secret.yaml');
    const type = (path: string, edit: (t: string) => string) => () => overlays.set(path, edit(text(path)));
    const steps: Array<{ what: string; apply: () => void; path: string; keepsNodes?: boolean }> = [
      { what: 'the Secret opened', path: secret, apply: type(secret, (t) => t), keepsNodes: true },
      {
        what: "the Secret given another Secret's key",
        path: secret,
        apply: type(secret, (t) => t.replace(line(secret, 'tls.key'), line(mismatched, 'tls.key'))),
        keepsNodes: true,
      },
      {
        what: "the Secret serving another CA's certificate (the webhook's caBundle no longer signs it)",
        path: secret,
        apply: type(secret, (t) => t.replace(line(secret, 'tls.crt'), line(foreign, 'tls.crt'))),
        keepsNodes: true,
      },
      { what: 'the Secret renamed', path: secret, apply: type(secret, (t) => t.replace('name: policy-webhook-tls', 'name: other-tls')), keepsNodes: true },
      { what: "the webhook's Service renamed", path: webhook, apply: type(webhook, (t) => t.replaceAll('policy-webhook', 'policy-hook')), keepsNodes: true },
      {
        what: 'the kustomization emptied',
        path: kustomization,
        apply: type(kustomization, () => 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n'),
      },
      { what: 'the mismatched Secret typed into a kubeconfig', path: mismatched, apply: type(mismatched, () => KUBECONFIG_NAMING_MISSING) },
      { what: 'the kubeconfig typed back into the Secret', path: mismatched, apply: () => overlays.set(mismatched, readFileSync(mismatched, 'utf8')) },
      { what: 'the Secret closed', path: secret, apply: () => overlays.delete(secret) },
      { what: 'the webhook closed', path: webhook, apply: () => overlays.delete(webhook) },
      { what: 'the kustomization closed', path: kustomization, apply: () => overlays.delete(kustomization) },
    ];
    let changedSome = false;
    for (const step of steps) {
      const before = (await checker.latest(root))!.context.nodes;
      const listings = checker.listings;
      step.apply();
      checker.schedule(step.path);
      await checker.run(root);
      const expected = await fromScratch(root, overlays);
      changedSome ||= expected !== initial;
      assert.equal(shown(checker.diagnostics), expected, `after: ${step.what}`);
      assert.equal(checker.listings, listings, `no listing for: ${step.what}`);
      if (step.keepsNodes) assert.ok((await checker.latest(root))!.context.nodes === before, `the previous nodes kept after: ${step.what}`);
    }
    assert.ok(changedSome, 'no keystroke changed the diagnostics');
  });
});

const KUBECONFIG_NAMING_MISSING = kubeconfigNamingCa('/etc/kubernetes/pki/missing-ca.crt');

/** A kubeconfig of one cluster, lab, whose CA is the file `caPath`, with `contexts` (YAML lines; none: `contexts: []`). */
function kubeconfigNamingCa(caPath: string, contexts: string[] = []): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: lab',
    '  cluster:',
    '    server: https://10.0.0.1:6443',
    `    certificate-authority: ${caPath}`,
    ...(contexts.length > 0 ? ['contexts:', ...contexts] : ['contexts: []']),
    'users: []',
    '',
  ].join('\n');
}
