import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { notACa } from '../../server/src/engine/rules/notACa';
import { clusterCa, findings, manifest, pki } from '../support/ruleTester';

const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const flags = ['--client-ca-file=/etc/kubernetes/pki/ca.crt'];

describe('not-a-ca', () => {
  it('is silent on a CA certificate', async () => {
    const ca = await clusterCa();
    assert.deepEqual(await findings(notACa, { [APISERVER]: manifest('kube-apiserver', flags), 'etc/kubernetes/pki/ca.crt': ca.cert }), []);
  });

  it('reports a leaf used as a CA', async () => {
    const leaf = await pki('not-a-ca-leaf', { subject: [['CN', 'front-proxy-client']], usages: ['clientAuth'], signer: clusterCa() });
    assert.deepEqual(await findings(notACa, { [APISERVER]: manifest('kube-apiserver', flags), 'etc/kubernetes/pki/ca.crt': leaf.cert }), [
      `${APISERVER}:10:24-10:50 ca.crt (from --client-ca-file in kube-apiserver.yaml) is used as a CA but its basicConstraints says CA:FALSE; its Key Usage lacks keyCertSign (it has digitalSignature) (CN=front-proxy-client)`,
    ]);
  });
});
