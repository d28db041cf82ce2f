import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cli';

const MANIFEST = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: kube-apiserver',
  'spec:',
  '  containers:',
  '  - command:',
  '    - kube-apiserver',
  '    - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
  '    - --tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
  '    name: kube-apiserver',
  '    volumeMounts:',
  '    - mountPath: /etc/kubernetes/pki',
  '      name: k8s-certs',
  '  volumes:',
  '  - hostPath:',
  '      path: /etc/kubernetes/pki',
  '    name: k8s-certs',
  '',
].join('\n');
/** A kubeconfig naming a certificate that does not exist: kubeconfig-credential and file-not-found where it is a document. */
const MISSING = 'apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    client-certificate: missing.crt\n';

/**
 * What the user excludes is not discovered as documents: .kube-pki.yaml's exclude, --exclude, and
 * .gitignore'd paths inside a git work tree (--no-gitignore turns that off). The manifest's key is
 * git-ignored and does not match its certificate: the reference still resolves, and key-mismatch is
 * still reported.
 */
describe('kube-pki check: exclude, --exclude, .gitignore', () => {
  const root = mkdtempSync(join(tmpdir(), 'kube-pki-exclude-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  before(() => {
    mkdirSync(join(root, 'etc/kubernetes/pki'), { recursive: true });
    mkdirSync(join(root, 'etc/kubernetes/manifests'), { recursive: true });
    mkdirSync(join(root, 'vendor/charts'), { recursive: true });
    mkdirSync(join(root, 'build'), { recursive: true });
    const pki = join(root, 'etc/kubernetes/pki');
    const quiet = { stdio: 'ignore' } as const;
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(pki, 'other.key'), '-out', join(pki, 'apiserver.crt')].concat([
        '-subj',
        '/CN=kube-apiserver',
        '-days',
        '3650',
        '-addext',
        'subjectAltName=DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
      ]),
      quiet,
    );
    rmSync(join(pki, 'other.key'));
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', join(pki, 'apiserver.key')], quiet);
    writeFileSync(join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml'), MANIFEST);
    writeFileSync(join(root, 'vendor/charts/pod.yaml'), MISSING);
    writeFileSync(join(root, 'build/pod.yaml'), MISSING);
    writeFileSync(join(root, 'top.yaml'), MISSING);
    writeFileSync(join(root, '.gitignore'), '*.key\nbuild/\n');
  });
  const config = (text: string | undefined) => {
    const path = join(root, '.kube-pki.yaml');
    if (text === undefined) rmSync(path, { force: true });
    else writeFileSync(path, text);
  };
  const found = (args: string[]) => {
    const run = runCli(['check', root, '--format', 'json', ...args]);
    assert.equal(run.status, 1, run.stderr);
    const report = JSON.parse(run.stdout) as { diagnostics: Array<{ file: string; line: number; column: number; code: string }> };
    return report.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`);
  };
  const KEY_MISMATCH = 'etc/kubernetes/manifests/kube-apiserver.yaml:10:30 key-mismatch';
  const dup = (file: string) => [`${file}:6:5 kubeconfig-credential`, `${file}:6:25 file-not-found`];

  it('outside a git work tree .gitignore means nothing: every file is a document', () => {
    config(undefined);
    assert.deepEqual(found([]), [...dup('build/pod.yaml'), KEY_MISMATCH, ...dup('top.yaml'), ...dup('vendor/charts/pod.yaml')]);
  });

  it('.kube-pki.yaml exclude leaves a folder out; --exclude adds globs; the excluded key is still checked', () => {
    config('exclude:\n  - vendor\n');
    assert.deepEqual(found([]), [...dup('build/pod.yaml'), KEY_MISMATCH, ...dup('top.yaml')]);
    assert.deepEqual(found(['--exclude', '*.yaml', '--exclude', 'build/**', '--exclude', 'etc/kubernetes/pki/*.key']), [KEY_MISMATCH]);
    config(undefined);
  });

  it('a bad exclude entry is a note, and the rest is read', () => {
    config('exclude:\n  - vendor\n  - 3\ngitignore: maybe\n');
    const run = runCli(['check', root]);
    assert.equal(run.status, 1);
    assert.match(
      run.stdout,
      /note: \.kube-pki\.yaml: line 3: an "exclude" entry must be a glob \(ignored\)\nnote: \.kube-pki\.yaml: line 4: "gitignore" must be true or false \(ignored\)\n/,
    );
    assert.doesNotMatch(run.stdout, /vendor/);
    config(undefined);
  });

  it('inside a git work tree .gitignore is honoured (the ignored key still resolves); --no-gitignore and gitignore: false turn it off', () => {
    execFileSync('git', ['init', '-q', root], { stdio: 'ignore' });
    config(undefined);
    assert.deepEqual(found([]), [KEY_MISMATCH, ...dup('top.yaml'), ...dup('vendor/charts/pod.yaml')]);
    assert.deepEqual(found(['--no-gitignore']), [...dup('build/pod.yaml'), KEY_MISMATCH, ...dup('top.yaml'), ...dup('vendor/charts/pod.yaml')]);
    config('gitignore: false\n');
    assert.deepEqual(found([]), [...dup('build/pod.yaml'), KEY_MISMATCH, ...dup('top.yaml'), ...dup('vendor/charts/pod.yaml')]);
    config(undefined);
  });

  it('nested .gitignore files and negation, as git reads them', () => {
    writeFileSync(join(root, 'vendor/.gitignore'), '*.yaml\n!charts/\n');
    writeFileSync(join(root, 'vendor/charts/.gitignore'), '!pod.yaml\n');
    writeFileSync(join(root, 'vendor/extra.yaml'), MISSING);
    try {
      assert.deepEqual(found([]), [KEY_MISMATCH, ...dup('top.yaml'), ...dup('vendor/charts/pod.yaml')]);
      writeFileSync(join(root, 'vendor/charts/.gitignore'), '');
      assert.deepEqual(found([]), [KEY_MISMATCH, ...dup('top.yaml')]);
    } finally {
      rmSync(join(root, 'vendor/.gitignore'));
      rmSync(join(root, 'vendor/charts/.gitignore'));
      rmSync(join(root, 'vendor/extra.yaml'));
    }
  });
});
