import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { certExpired } from '../../server/src/engine/rules/certExpired';
import { clusterCa, findings, manifest, pki } from '../support/ruleTester';

const MANIFEST = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const flags = [
  '--client-ca-file=/etc/kubernetes/pki/ca.crt',
  '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
  '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
];
const expired = () =>
  pki('expired', {
    subject: [['CN', 'kube-apiserver']],
    usages: ['serverAuth'],
    signer: clusterCa(),
    notBefore: new Date('2024-01-01T00:00:00Z'),
    notAfter: new Date('2025-05-01T00:00:00Z'),
  });

describe('cert-expired', () => {
  it('is silent on a certificate within its validity', async () => {
    const ca = await clusterCa();
    assert.deepEqual(
      await findings(certExpired, {
        [MANIFEST]: manifest('kube-apiserver', flags),
        'etc/kubernetes/pki/apiserver.crt': ca.cert,
        'etc/kubernetes/pki/apiserver.key': ca.key,
      }),
      [],
    );
  });

  it('reports the days since notAfter on the flag, with a renewal', async () => {
    const leaf = await expired();
    const ca = await clusterCa();
    assert.deepEqual(
      await findings(certExpired, {
        [MANIFEST]: manifest('kube-apiserver', flags),
        'etc/kubernetes/pki/apiserver.crt': leaf.cert,
        'etc/kubernetes/pki/apiserver.key': leaf.key,
        'etc/kubernetes/pki/ca.crt': ca.cert,
        'etc/kubernetes/pki/ca.key': ca.key,
      }),
      [
        `${MANIFEST}:11:23-11:56 apiserver.crt (from --tls-cert-file in kube-apiserver.yaml) expired 31 days ago (CN=kube-apiserver, notAfter 2025-05-01T00:00:00Z) [fix: Renew apiserver.crt (signed by ca.crt, same key)]`,
      ],
    );
  });

  it('reports a certificate nothing names on its BEGIN line', async () => {
    const leaf = await expired();
    assert.deepEqual(await findings(certExpired, { 'backup/old.crt': leaf.cert }), [
      'backup/old.crt:1:1-1:22 old.crt expired 31 days ago (CN=kube-apiserver, notAfter 2025-05-01T00:00:00Z)',
    ]);
  });
});
