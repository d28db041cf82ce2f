import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caMismatch } from '../../server/src/engine/rules/caMismatch';
import { clientCertDataAt, clusterCa, findings, kubeconfig, manifest, otherCa, pki, secret, secretValueAt } from '../support/ruleTester';

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

describe('ca-mismatch on API objects', () => {
  it("reports a Secret's ca.crt that does not verify its tls.crt, on ca.crt; the signing CA is silent", async () => {
    const ca = await clusterCa();
    const other = await otherCa();
    const server = await pki('objects-server', { subject: [['CN', 'frontend']], usages: ['serverAuth'], sans: ['frontend.web.svc'], signer: clusterCa() });
    const data = { 'tls.crt': server.cert, 'tls.key': server.key, 'ca.crt': other.cert };
    assert.deepEqual(
      await findings(caMismatch, {
        'web/bad.yaml': secret('frontend-tls', 'web', data),
        'web/good.yaml': secret('ok', 'web', { 'tls.crt': server.cert, 'tls.key': server.key, 'ca.crt': ca.cert }),
      }),
      [
        `web/bad.yaml:${secretValueAt(data, 2)} tls.crt of Secret web/frontend-tls is not signed by its ca.crt, so clients that trust ca.crt reject it: its issuer "CN=kubernetes" is not among the trusted CAs`,
      ],
    );
  });
});
