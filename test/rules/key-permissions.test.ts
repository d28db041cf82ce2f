import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { keyPermissions } from '../../server/src/engine/rules/keyPermissions';
import { clusterCa, findings, kubeconfig, manifest, ROOT } from '../support/ruleTester';
import { service } from '../support/service';

const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const flags = ['--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key'];

async function tree(mode: number) {
  const ca = await clusterCa();
  return {
    [APISERVER]: manifest('kube-apiserver', flags),
    'etc/kubernetes/pki/apiserver.crt': { text: ca.cert, mode: 0o644 },
    'etc/kubernetes/pki/apiserver.key': { text: ca.key, mode },
  };
}

describe('key-permissions', () => {
  it('is silent on a 0600 key', async () => {
    assert.deepEqual(await findings(keyPermissions, await tree(0o600)), []);
  });

  it('reports a key readable by others', async () => {
    assert.deepEqual(await findings(keyPermissions, await tree(0o644)), [
      `${APISERVER}:11:30-11:63 apiserver.key (from --tls-private-key-file in kube-apiserver.yaml) has mode 0644: group or others can read the private key (chmod 600 it)`,
    ]);
  });

  it('is silent in a git work tree, where modes are not kept (the check probes for .git, the rule reads the answer)', async () => {
    assert.deepEqual(await findings(keyPermissions, await tree(0o644), { gitDirs: [ROOT] }), []);
    assert.deepEqual(await findings(keyPermissions, await tree(0o644), { gitDirs: ['/mem'] }), []);
  });

  it('holds a kubeconfig with client-key-data to the same mode, and not one with only a token', async () => {
    const ca = await clusterCa();
    const ADMIN = 'etc/kubernetes/admin.conf';
    const text = kubeconfig('kubernetes-admin', ca, ca);
    const tokenOnly = text.replace(/    client-certificate-data: .*\n    client-key-data: .*\n/, '    token: abc.def\n');
    const keyAt = `18:22-18:${22 + Buffer.from(ca.key).toString('base64').length}`;
    assert.deepEqual(await findings(keyPermissions, { [ADMIN]: { text, mode: 0o640 } }), [
      `${ADMIN}:${keyAt} admin.conf holds a private key (client-key-data of user "kubernetes-admin") and has mode 0640: group or others can read the private key (chmod 600 it)`,
    ]);
    assert.deepEqual(await findings(keyPermissions, { [ADMIN]: { text, mode: 0o600 } }), []);
    assert.deepEqual(await findings(keyPermissions, { [ADMIN]: { text: tokenOnly, mode: 0o644 } }), []);
    assert.deepEqual(await findings(keyPermissions, { [ADMIN]: { text, mode: 0o644 } }, { gitDirs: [ROOT] }), []);
  });

  it("reads a kubeconfig's mode from the disk, as kube-pki check does", async () => {
    const ca = await clusterCa();
    const text = kubeconfig('kubernetes-admin', ca, ca);
    const tokenOnly = text.replace(/    client-certificate-data: .*\n    client-key-data: .*\n/, '    token: abc.def\n');
    const dir = mkdtempSync(join(tmpdir(), 'kube-pki-key-permissions-'));
    try {
      mkdirSync(join(dir, 'etc/kubernetes'), { recursive: true });
      const write = (name: string, content: string, mode: number) => {
        writeFileSync(join(dir, 'etc/kubernetes', name), content);
        chmodSync(join(dir, 'etc/kubernetes', name), mode);
      };
      write('admin.conf', text, 0o644);
      write('super-admin.conf', text, 0o600);
      write('deploy.conf', tokenOnly, 0o644);
      const report = await service.checkTree(dir);
      const seen = report.findings
        .filter((f) => f.code === 'key-permissions')
        .map((f) => `${f.file.slice(dir.length + 1)}:${f.range.start.line + 1} ${f.message}`);
      assert.deepEqual(seen, [
        'etc/kubernetes/admin.conf:18 admin.conf holds a private key (client-key-data of user "kubernetes-admin") and has mode 0644: group or others can read the private key (chmod 600 it)',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
