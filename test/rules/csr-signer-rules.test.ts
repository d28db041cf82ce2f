import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csrSignerRules } from '../../server/src/engine/rules/csrSignerRules';
import { csrManifest, makeCsr } from '../support/csrManifest';
import { b64, findings } from '../support/ruleTester';

const NODE = [
  ['O', 'system:nodes'],
  ['CN', 'system:node:worker-1'],
] as Array<[string, string]>;
const requestAt = (pem: string) => `6:12-6:${12 + b64(pem).length}`;
/** The usages sequence: from its first item's dash to the end of its last item (items are "  - <usage>"). */
const usagesAt = (usages: string[]) => `9:3-${8 + usages.length}:${5 + usages[usages.length - 1].length}`;

describe('csr-signer-rules', () => {
  it('is silent on a request each signer signs', async () => {
    const [client, kubelet, serving] = [
      await makeCsr([
        ['CN', 'jane'],
        ['O', 'developers'],
      ]),
      await makeCsr(NODE),
      await makeCsr(NODE, [
        { type: 'dns', value: 'worker-1' },
        { type: 'ip', value: '10.0.0.11' },
      ]),
    ];
    const seen = await findings(csrSignerRules, {
      'csr/client.yaml': csrManifest('jane', { request: client.pem, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] }),
      'csr/client-all.yaml': csrManifest('jane-2', {
        request: client.pem,
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['digital signature', 'key encipherment', 'client auth'],
      }),
      'csr/kubelet.yaml': csrManifest('node-csr-1', {
        request: kubelet.pem,
        signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
        usages: ['digital signature', 'client auth'],
      }),
      'csr/kubelet-rsa.yaml': csrManifest('node-csr-2', {
        request: kubelet.pem,
        signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
        usages: ['digital signature', 'key encipherment', 'client auth'],
      }),
      'csr/serving.yaml': csrManifest('csr-serving', {
        request: serving.pem,
        signerName: 'kubernetes.io/kubelet-serving',
        usages: ['digital signature', 'key encipherment', 'server auth'],
      }),
      'csr/custom.yaml': csrManifest('custom', { request: client.pem, signerName: 'example.com/my-signer', usages: ['server auth', 'code signing'] }),
    });
    assert.deepEqual(seen, []);
  });

  it('kube-apiserver-client: reports a usage other than a client one (no CA), and a missing client auth, on usages', async () => {
    const { pem } = await makeCsr([['CN', 'jane']]);
    const signerName = 'kubernetes.io/kube-apiserver-client';
    const [serverUsages, noClient] = [['client auth', 'server auth', 'cert sign'], ['digital signature']];
    assert.deepEqual(
      await findings(csrSignerRules, {
        'a.yaml': csrManifest('jane', { request: pem, signerName, usages: serverUsages }),
        'b.yaml': csrManifest('jane-2', { request: pem, signerName, usages: noClient }),
      }),
      [
        `a.yaml:${usagesAt(serverUsages)} usages of CertificateSigningRequest jane: "server auth", "cert sign" are not allowed: kubernetes.io/kube-apiserver-client signs client certificates only (never a CA), with digital signature, key encipherment, client auth`,
        `b.yaml:${usagesAt(noClient)} usages of CertificateSigningRequest jane-2: "client auth" is missing, and kubernetes.io/kube-apiserver-client requires it`,
      ],
    );
  });

  it('kube-apiserver-client-kubelet: reports the subject and SANs on the request, other usages on usages', async () => {
    const wrong = await makeCsr(
      [
        ['O', 'system:masters'],
        ['CN', 'worker-1'],
      ],
      [{ type: 'dns', value: 'worker-1' }],
    );
    const signerName = 'kubernetes.io/kube-apiserver-client-kubelet';
    const usages = ['digital signature', 'client auth', 'server auth'];
    assert.deepEqual(await findings(csrSignerRules, { 'n.yaml': csrManifest('node-csr-x', { request: wrong.pem, signerName, usages }) }), [
      `n.yaml:${usagesAt(usages)} usages of CertificateSigningRequest node-csr-x: kubernetes.io/kube-apiserver-client-kubelet signs exactly "digital signature", "client auth" and optionally "key encipherment", not "digital signature", "client auth", "server auth"`,
      `n.yaml:${requestAt(wrong.pem)} spec.request of CertificateSigningRequest node-csr-x does not meet kubernetes.io/kube-apiserver-client-kubelet: its subject's O is "system:masters", not exactly "system:nodes"; its subject's CN is "worker-1", not "system:node:<node name>"; it asks for subject alternative names (DNS:worker-1), which a kubelet client certificate may not have`,
    ]);
  });

  it('kubelet-serving: reports a request without DNS/IP SAN, and email/URI SANs, on the request', async () => {
    const [bare, extra] = [
      await makeCsr(NODE),
      await makeCsr(NODE, [
        { type: 'dns', value: 'worker-1' },
        { type: 'email', value: 'ops@example.com' },
        { type: 'url', value: 'spiffe://cluster/node' },
      ]),
    ];
    const signerName = 'kubernetes.io/kubelet-serving';
    const usages = ['digital signature', 'server auth'];
    assert.deepEqual(
      await findings(csrSignerRules, {
        'a.yaml': csrManifest('serving-a', { request: bare.pem, signerName, usages }),
        'b.yaml': csrManifest('serving-b', { request: extra.pem, signerName, usages: ['digital signature', 'client auth'] }),
      }),
      [
        `a.yaml:${requestAt(bare.pem)} spec.request of CertificateSigningRequest serving-a does not meet kubernetes.io/kubelet-serving: it asks for no DNS or IP subject alternative name, and a kubelet serving certificate needs one`,
        `b.yaml:${usagesAt(['digital signature', 'client auth'])} usages of CertificateSigningRequest serving-b: kubernetes.io/kubelet-serving signs exactly "digital signature", "server auth" and optionally "key encipherment", not "digital signature", "client auth"`,
        `b.yaml:${requestAt(extra.pem)} spec.request of CertificateSigningRequest serving-b does not meet kubernetes.io/kubelet-serving: it asks for email:ops@example.com, URI:spiffe://cluster/node: email and URI subject alternative names are not allowed`,
      ],
    );
  });

  it('reports kubernetes.io/legacy-unknown on signerName, a missing signerName or usages in v1, and an unknown usage', async () => {
    const { pem } = await makeCsr([['CN', 'jane']]);
    const legacy = 'kubernetes.io/legacy-unknown';
    assert.deepEqual(
      await findings(csrSignerRules, {
        'a.yaml': csrManifest('legacy', { request: pem, signerName: legacy, usages: ['client auth'] }),
        'b.yaml': csrManifest('legacy-beta', { apiVersion: 'certificates.k8s.io/v1beta1', request: pem, signerName: legacy, usages: ['client auth'] }),
        'c.yaml': csrManifest('unsigned', { request: pem, usages: ['client auth'] }),
        'd.yaml': csrManifest('no-usages', { request: pem, signerName: 'example.com/x' }),
        'e.yaml': csrManifest('typo', { request: pem, signerName: 'example.com/x', usages: ['clientauth'] }),
      }),
      [
        `a.yaml:7:15-7:${15 + legacy.length} CertificateSigningRequest legacy: the API server refuses signerName kubernetes.io/legacy-unknown in certificates.k8s.io/v1, and no controller signs it`,
        `b.yaml:7:15-7:${15 + legacy.length} CertificateSigningRequest legacy-beta: kube-controller-manager never signs kubernetes.io/legacy-unknown requests; the request stays pending`,
        'c.yaml:4:9-4:17 CertificateSigningRequest unsigned has no spec.signerName, which certificates.k8s.io/v1 requires',
        'd.yaml:4:9-4:18 CertificateSigningRequest no-usages has no spec.usages, which certificates.k8s.io/v1 requires',
        `e.yaml:${usagesAt(['clientauth'])} usages of CertificateSigningRequest typo: "clientauth" is not a usage the API server accepts`,
      ],
    );
  });
});
