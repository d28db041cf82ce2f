import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chainTooComplex } from '../../server/src/engine/rules/chainTooComplex';
import { clientCertDataAt, clusterCa, findings, kubeconfig, manifest, pki } from '../support/ruleTester';

const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const admin = () =>
  pki('admin-ca', {
    subject: [
      ['O', 'system:masters'],
      ['CN', 'kubernetes-admin'],
    ],
    usages: ['clientAuth'],
    signer: clusterCa(),
  });
/** CAs named like the cluster CA, none of which signed the admin: Go tries each, and gives up at 100. */
const impostors = (n: number) => Promise.all(Array.from({ length: n }, (_, i) => pki(`impostor-${i}`, { subject: [['CN', 'kubernetes']], ca: true })));

describe('chain-too-complex', () => {
  it("is silent when the search ends within the budget (a mismatch is ca-mismatch's)", async () => {
    const ca = await clusterCa();
    const bundle = (await impostors(3)).map((c) => c.cert).join('');
    assert.deepEqual(
      await findings(chainTooComplex, {
        [APISERVER]: manifest('kube-apiserver', ['--client-ca-file=/etc/kubernetes/pki/ca.crt']),
        'etc/kubernetes/pki/ca.crt': bundle,
        'etc/kubernetes/admin.conf': kubeconfig('kubernetes-admin', await admin(), ca),
      }),
      [],
    );
  });

  it('reports an edge whose candidate issuers exhaust the budget', async () => {
    const ca = await clusterCa();
    const bundle = (await impostors(101)).map((c) => c.cert).join('');
    const at = clientCertDataAt(await admin());
    assert.deepEqual(
      await findings(chainTooComplex, {
        [APISERVER]: manifest('kube-apiserver', ['--client-ca-file=/etc/kubernetes/pki/ca.crt']),
        'etc/kubernetes/pki/ca.crt': bundle,
        'etc/kubernetes/admin.conf': kubeconfig('kubernetes-admin', await admin(), ca),
      }),
      [
        `etc/kubernetes/admin.conf:${at} the client-certificate-data of kubernetes-admin in admin.conf against ca.crt (from --client-ca-file in kube-apiserver.yaml): the chain search gave up after 100 signature checks (Go's limit, crypto/x509 maxChainSignatureChecks): too many candidate issuers share a name, so the certificate was neither accepted nor found unsigned; Go gives up the same way and rejects the connection`,
      ],
    );
  });
});
