import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkTree } from '../../server/src/engine/check/runCheck';

const POD = (flags: string[]) => `apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.30.0
    command:
    - kube-apiserver
${flags.map((f) => `    - ${f}`).join('\n')}
    volumeMounts:
    - mountPath: /etc/kubernetes/pki
      name: k8s-certs
  volumes:
  - hostPath:
      path: /etc/kubernetes/pki
    name: k8s-certs
`;

describe('hostile trees: bounded, clear outcomes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-pki-hostile-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports YAML bombs and deep nesting as findings, follows no symlink loop, never leaves the tree', async () => {
    const root = join(dir, 'node');
    mkdirSync(join(root, 'etc/kubernetes/manifests'), { recursive: true });
    mkdirSync(join(root, 'etc/kubernetes/pki'), { recursive: true });
    // A billion-laughs kubeconfig: aliases are never expanded.
    const bomb = ['apiVersion: v1', 'kind: Config', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    bomb.push('clusters: *j', 'users: []');
    writeFileSync(join(root, 'etc/kubernetes/bomb.conf'), bomb.join('\n') + '\n');
    writeFileSync(join(root, 'etc/kubernetes/manifests/deep.yaml'), `apiVersion: v1\nkind: Pod\nspec: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    // Garbage where a certificate should be, and paths that try to leave the tree.
    writeFileSync(join(root, 'etc/kubernetes/pki/apiserver.crt'), Buffer.from([0, 1, 2, 3, 255, 254, 0, 9]));
    writeFileSync(join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml'), POD(['--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--client-ca-file=/etc/kubernetes/pki/../../../../../../../../etc/shadow', '--etcd-cafile=/etc/kubernetes/pki/outside.crt']));
    symlinkSync(root, join(root, 'etc/kubernetes/loop'));
    symlinkSync('/etc/hostname', join(root, 'etc/kubernetes/pki/outside.crt'));
    const started = Date.now();
    const report = await checkTree(root);
    assert.ok(Date.now() - started < 20_000);
    const summary = report.findings.map((f) => [f.code, f.file.slice(root.length + 1), f.message]);
    assert.deepEqual(summary.map(([code, file]) => `${code} ${file}`).sort(), [
      'file-not-found etc/kubernetes/manifests/kube-apiserver.yaml',
      'path-not-mounted etc/kubernetes/manifests/kube-apiserver.yaml',
      'pem-invalid etc/kubernetes/manifests/kube-apiserver.yaml',
      'yaml-invalid etc/kubernetes/manifests/deep.yaml',
    ]);
    assert.ok(summary.some(([, , m]) => m === 'apiserver.crt: binary data that is neither PEM nor DER'));
    // The traversal normalises to /etc/shadow, which the container cannot see (and which is never read).
    assert.ok(summary.some(([, , m]) => /^\/etc\/kubernetes\/pki\/\.\.\/.*etc\/shadow \(--client-ca-file\) is not under any volumeMount of container kube-apiserver/.test(m)));
    assert.ok(summary.some(([, , m]) => /^\/etc\/kubernetes\/pki\/outside\.crt \(--etcd-cafile\) does not exist/.test(m)), 'a link leaving the tree is not followed');
  });
});
