import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../support/cli';

/** kubectl's strict decoding rejects a repeated key; kube-pki reports it instead of reading the first value. */
describe('kube-pki check on duplicate YAML keys (CLI)', () => {
  const root = mkdtempSync(join(tmpdir(), 'kube-pki-duplicate-key-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('reports the repeated key in a kubeconfig and a static pod, not in YAML kube-pki does not read', () => {
    mkdirSync(join(root, 'etc/kubernetes/manifests'), { recursive: true });
    writeFileSync(
      join(root, 'etc/kubernetes/admin.conf'),
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: k',
        '  cluster:',
        '    server: https://10.0.0.1:6443',
        '    insecure-skip-tls-verify: true',
        '    server: https://10.0.0.2:6443',
        'users: []',
        'contexts: []',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(root, 'etc/kubernetes/manifests/etcd.yaml'),
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: etcd',
        'spec:',
        '  containers:',
        '  - name: etcd',
        '    image: registry.k8s.io/etcd:3.5.15-0',
        '    name: etcd2',
        '',
      ].join('\n'),
    );
    writeFileSync(join(root, 'values.yaml'), 'replicas: 1\nreplicas: 2\n');
    const run = runCli(['check', root]);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(
      run.stdout,
      [
        'etc/kubernetes/admin.conf',
        '  8:5  error        duplicate key "server" (first on line 6): kubectl rejects the file, and which value is read is ambiguous  yaml-duplicate-key',
        '',
        'etc/kubernetes/manifests/etcd.yaml',
        '  9:5  error        duplicate key "name" (first on line 7): kubectl rejects the file, and which value is read is ambiguous  yaml-duplicate-key',
        '',
        '✖ 2 problems (2 errors, 0 warnings) in 2 config files',
        '',
      ].join('\n'),
    );
  });
});
