import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyPermissions } from '../../server/src/engine/rules/keyPermissions';
import { clusterCa, findings, manifest, ROOT } from '../support/ruleTester';

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
});
