import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caMismatch } from '../../server/src/engine/rules/caMismatch';
import { clientCertDataAt, clusterCa, findings, kubeconfig, manifest, otherCa, pki } from '../support/ruleTester';

const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const admin = (signer: 'ca' | 'other') =>
  pki(`admin-${signer}`, {
    subject: [
      ['O', 'system:masters'],
      ['CN', 'kubernetes-admin'],
    ],
    usages: ['clientAuth'],
    signer: signer === 'ca' ? clusterCa() : otherCa(),
  });

async function tree(signer: 'ca' | 'other') {
  const ca = await clusterCa();
  return {
    [APISERVER]: manifest('kube-apiserver', ['--client-ca-file=/etc/kubernetes/pki/ca.crt']),
    'etc/kubernetes/pki/ca.crt': ca.cert,
    'etc/kubernetes/admin.conf': kubeconfig('kubernetes-admin', await admin(signer), ca),
  };
}

describe('ca-mismatch', () => {
  it('is silent when the client certificate is signed by the --client-ca-file', async () => {
    assert.deepEqual(await findings(caMismatch, await tree('ca')), []);
  });

  it('reports a client certificate of another CA on the kubeconfig field', async () => {
    const at = clientCertDataAt(await admin('other'));
    assert.deepEqual(await findings(caMismatch, await tree('other')), [
      `etc/kubernetes/admin.conf:${at} the client-certificate-data of kubernetes-admin in admin.conf is not signed by ca.crt (from --client-ca-file in kube-apiserver.yaml), so the API server rejects this user: its issuer "CN=other-ca" is not among the trusted CAs`,
    ]);
  });
});
