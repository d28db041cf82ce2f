import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { certNotYetValid } from '../../server/src/engine/rules/certNotYetValid';
import { clusterCa, findings, manifest, pki } from '../support/ruleTester';

const MANIFEST = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const flags = ['--client-ca-file=/etc/kubernetes/pki/ca.crt'];

describe('cert-not-yet-valid', () => {
  it('is silent on a certificate already valid', async () => {
    const ca = await clusterCa();
    assert.deepEqual(await findings(certNotYetValid, { [MANIFEST]: manifest('kube-apiserver', flags), 'etc/kubernetes/pki/ca.crt': ca.cert }), []);
  });

  it('reports a notBefore in the future', async () => {
    const future = await pki('future-ca', {
      subject: [['CN', 'future']],
      ca: true,
      notBefore: new Date('2025-07-01T00:00:00Z'),
      notAfter: new Date('2035-07-01T00:00:00Z'),
    });
    assert.deepEqual(await findings(certNotYetValid, { [MANIFEST]: manifest('kube-apiserver', flags), 'etc/kubernetes/pki/ca.crt': future.cert }), [
      `${MANIFEST}:10:24-10:50 ca.crt (from --client-ca-file in kube-apiserver.yaml) is not valid until 2025-07-01T00:00:00Z (CN=future; a clock or generation-time problem)`,
    ]);
  });
});
