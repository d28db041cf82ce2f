import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { weakKey } from '../../server/src/engine/rules/weakKey';
import { clusterCa, findings, manifest, pki, secret, secretValueAt } from '../support/ruleTester';

const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const flags = ['--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key'];
const weak = () => pki('weak', { subject: [['CN', 'kube-apiserver']], usages: ['serverAuth'], weakRsa: true, signer: clusterCa() });

describe('weak-key', () => {
  it('is silent on an ECDSA P-256 pair', async () => {
    const ca = await clusterCa();
    assert.deepEqual(
      await findings(weakKey, {
        [APISERVER]: manifest('kube-apiserver', flags),
        'etc/kubernetes/pki/apiserver.crt': ca.cert,
        'etc/kubernetes/pki/apiserver.key': ca.key,
      }),
      [],
    );
  });

  it('reports an RSA-1024 key once, at the first flag that holds it', async () => {
    const leaf = await weak();
    assert.deepEqual(
      await findings(weakKey, {
        [APISERVER]: manifest('kube-apiserver', flags),
        'etc/kubernetes/pki/apiserver.crt': leaf.cert,
        'etc/kubernetes/pki/apiserver.key': leaf.key,
      }),
      [`${APISERVER}:10:23-10:56 apiserver.crt (from --tls-cert-file in kube-apiserver.yaml): RSA key of 1024 bits is weak (use 2048 bits or more)`],
    );
  });

  it('reports a weak certificate nothing names on its BEGIN line', async () => {
    const leaf = await weak();
    assert.deepEqual(await findings(weakKey, { 'backup/apiserver.crt': leaf.cert }), [
      'backup/apiserver.crt:1:1-1:22 apiserver.crt: RSA key of 1024 bits is weak (use 2048 bits or more)',
    ]);
  });
});

describe('weak-key on API objects', () => {
  it("reports a Secret's weak tls.crt once, not again on its tls.key", async () => {
    const w = await weak();
    const data = { 'tls.crt': w.cert, 'tls.key': w.key };
    const seen = await findings(weakKey, { 'web/tls.yaml': secret('frontend-tls', 'web', data) });
    assert.equal(seen.length, 1);
    assert.ok(seen[0].startsWith(`web/tls.yaml:${secretValueAt(data, 0)} tls.crt of Secret web/frontend-tls: `), seen[0]);
  });
});
