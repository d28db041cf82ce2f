import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../support/cli';

/** A config file over 4 MiB is not read, and the check says so instead of "no problems". */
describe('kube-pki check on a config file too large to read (CLI)', () => {
  const root = mkdtempSync(join(tmpdir(), 'kube-pki-too-large-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  // 5.4 MiB of comment lines after the head that says what the file is.
  const padding = `# ${'x'.repeat(78)}\n`.repeat(70_000);
  const manifest = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: kube-controller-manager',
    'spec:',
    '  containers:',
    '  - command:',
    '    - kube-controller-manager',
    '    - --kubeconfig=/etc/kubernetes/controller-manager.conf',
    '    volumeMounts:',
    '    - mountPath: /etc/kubernetes/controller-manager.conf',
    '      name: kubeconfig',
    '  volumes:',
    '  - hostPath:',
    '      path: /etc/kubernetes/controller-manager.conf',
    '    name: kubeconfig',
    '',
  ].join('\n');

  it('warns on the kubeconfig and on the flag that names it; a large README or binary is not reported', () => {
    mkdirSync(join(root, 'etc/kubernetes/manifests'), { recursive: true });
    writeFileSync(join(root, 'etc/kubernetes/controller-manager.conf'), `apiVersion: v1\nkind: Config\n${padding}`);
    writeFileSync(join(root, 'etc/kubernetes/manifests/kube-controller-manager.yaml'), manifest);
    writeFileSync(join(root, 'README.md'), `Notes on this cluster\n${padding}`);
    writeFileSync(join(root, 'etcd-snapshot.db'), Buffer.concat([Buffer.from('kind: Config\n\0'), Buffer.alloc(5 * 1024 * 1024)]));
    const run = runCli(['check', root]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(
      run.stdout,
      [
        'etc/kubernetes/controller-manager.conf',
        '  1:1  warning      controller-manager.conf is 5.4 MiB, over the 4 MiB kube-pki reads of a config file: too large, not read  file-too-large',
        '',
        'etc/kubernetes/manifests/kube-controller-manager.yaml',
        '  9:20  warning      /etc/kubernetes/controller-manager.conf (--kubeconfig) is 5.4 MiB, over the 4 MiB kube-pki reads of a config file: too large, not read  file-too-large',
        '',
        '✖ 2 problems (0 errors, 2 warnings) in 1 config files',
        '',
      ].join('\n'),
    );
  });
});
