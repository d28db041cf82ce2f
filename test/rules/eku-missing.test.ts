import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ekuMissing } from '../../server/src/engine/rules/ekuMissing';
import { clusterCa, findings, manifest, pki } from '../support/ruleTester';

const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const flags = ['--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key'];

describe('eku-missing', () => {
  it('is silent on a serving certificate with serverAuth', async () => {
    const leaf = await pki('eku-server', { subject: [['CN', 'kube-apiserver']], usages: ['serverAuth'], signer: clusterCa() });
    assert.deepEqual(
      await findings(ekuMissing, {
        [APISERVER]: manifest('kube-apiserver', flags),
        'etc/kubernetes/pki/apiserver.crt': leaf.cert,
        'etc/kubernetes/pki/apiserver.key': leaf.key,
      }),
      [],
    );
  });

  it('reports a client-only certificate used to serve', async () => {
    const leaf = await pki('eku-client', { subject: [['CN', 'kube-apiserver']], usages: ['clientAuth'], signer: clusterCa() });
    assert.deepEqual(
      await findings(ekuMissing, {
        [APISERVER]: manifest('kube-apiserver', flags),
        'etc/kubernetes/pki/apiserver.crt': leaf.cert,
        'etc/kubernetes/pki/apiserver.key': leaf.key,
      }),
      [
        `${APISERVER}:10:23-10:56 apiserver.crt (from --tls-cert-file in kube-apiserver.yaml) is used as a TLS server but its Extended Key Usage lacks serverAuth (it has clientAuth)`,
      ],
    );
  });
});
