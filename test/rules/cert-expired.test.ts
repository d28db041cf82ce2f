import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { certExpired } from '../../server/src/engine/rules/certExpired';
import { clusterCa, findings, manifest, pki, secret, secretValueAt } from '../support/ruleTester';

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

describe('cert-expired on API objects', () => {
  it('reports an expired tls.crt of a Secret and an expired certificate of a stringData bundle, each once, on its value', async () => {
    const old = await expired();
    const data = { 'tls.crt': old.cert, 'tls.key': old.key };
    const bundle = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: bundle',
      'stringData:',
      '  ca.crt: |',
      ...old.cert
        .trim()
        .split('\n')
        .map((l) => `    ${l}`),
      '',
    ].join('\n');
    assert.deepEqual(await findings(certExpired, { 'web/tls.yaml': secret('frontend-tls', 'web', data), 'web/bundle.yaml': bundle }), [
      `web/bundle.yaml:6:11-${7 + old.cert.trim().split('\n').length}:1 ca.crt of Secret bundle expired 31 days ago (CN=kube-apiserver, notAfter 2025-05-01T00:00:00Z)`,
      `web/tls.yaml:${secretValueAt(data, 0)} tls.crt of Secret web/frontend-tls expired 31 days ago (CN=kube-apiserver, notAfter 2025-05-01T00:00:00Z)`,
    ]);
  });
});
