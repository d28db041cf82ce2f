import assert from 'node:assert/strict';
import { createHash, createPublicKey, webcrypto } from 'node:crypto';
import { describe, it } from 'node:test';
import { issueCertificate } from '../../server/src/engine/gen/issue';
import { keyMismatch } from '../../server/src/engine/rules/keyMismatch';
import { csrManifest, makeCsr } from '../support/csrManifest';
import { compressedPoint, swappedPoint } from '../support/ecSwappedPoint';
import { b64, clusterCa, findings, manifest, otherCa, pki, secret, secretValueAt } from '../support/ruleTester';

const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const flags = [
  '--client-ca-file=/etc/kubernetes/pki/ca.crt',
  '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
  '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
];
/** How the message shows a public key: the first 8 bytes of its SPKI's SHA-256 (keys are made afresh each run). */
const fingerprint = (pem: string) =>
  `${createHash('sha256')
    .update(createPublicKey(pem).export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .toUpperCase()
    .slice(0, 16)
    .match(/../g)!
    .join(':')}...`;
const serving = () =>
  pki('apiserver', {
    subject: [['CN', 'kube-apiserver']],
    usages: ['serverAuth'],
    sans: ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'],
    signer: clusterCa(),
  });

describe('key-mismatch', () => {
  it('is silent on a certificate with its own key', async () => {
    const leaf = await serving();
    assert.deepEqual(
      await findings(keyMismatch, {
        [APISERVER]: manifest('kube-apiserver', flags),
        'etc/kubernetes/pki/apiserver.crt': leaf.cert,
        'etc/kubernetes/pki/apiserver.key': leaf.key,
      }),
      [],
    );
  });

  it('reports a key of another pair on the key flag, with a re-issue for that key', async () => {
    const [leaf, ca, other] = [await serving(), await clusterCa(), await otherCa()];
    assert.deepEqual(
      await findings(keyMismatch, {
        [APISERVER]: manifest('kube-apiserver', flags),
        'etc/kubernetes/pki/apiserver.crt': leaf.cert,
        'etc/kubernetes/pki/apiserver.key': other.key,
        'etc/kubernetes/pki/ca.crt': ca.cert,
        'etc/kubernetes/pki/ca.key': ca.key,
      }),
      [
        `${APISERVER}:12:30-12:63 apiserver.key (from --tls-private-key-file in kube-apiserver.yaml) does not belong to apiserver.crt (from --tls-cert-file in kube-apiserver.yaml): its public half ${fingerprint(other.key)} differs from the certificate's ${fingerprint(leaf.cert)} [fix: Re-issue apiserver.crt for the key apiserver.key (signed by ca.crt, same key)]`,
      ],
    );
  });

  it('says which certificate of the tree the key belongs to, named or not', async () => {
    const [leaf, ca] = [await serving(), await clusterCa()];
    const proxy = await pki('front-proxy-client', { subject: [['CN', 'front-proxy-client']], usages: ['clientAuth'], signer: clusterCa() });
    const tree = {
      [APISERVER]: manifest('kube-apiserver', [...flags, '--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt']),
      'etc/kubernetes/pki/apiserver.crt': leaf.cert,
      'etc/kubernetes/pki/apiserver.key': proxy.key,
      'etc/kubernetes/pki/front-proxy-client.crt': proxy.cert,
      'etc/kubernetes/pki/ca.crt': ca.cert,
      'etc/kubernetes/pki/ca.key': ca.key,
    };
    const message = (owner: string) =>
      `${APISERVER}:12:30-12:63 apiserver.key (from --tls-private-key-file in kube-apiserver.yaml) does not belong to apiserver.crt (from --tls-cert-file in kube-apiserver.yaml): its public half ${fingerprint(proxy.key)} differs from the certificate's ${fingerprint(leaf.cert)}; the key belongs to ${owner} instead [fix: Re-issue apiserver.crt for the key apiserver.key (signed by ca.crt, same key)]`;
    assert.deepEqual(await findings(keyMismatch, tree), [message('etc/kubernetes/pki/front-proxy-client.crt')]);
    // A certificate no flag names counts too: it is still where the key came from.
    assert.deepEqual(await findings(keyMismatch, { ...tree, [APISERVER]: manifest('kube-apiserver', flags), 'etc/kubernetes/pki/old/proxy.crt': proxy.cert }), [
      message('etc/kubernetes/pki/front-proxy-client.crt, etc/kubernetes/pki/old/proxy.crt'),
    ]);
  });

  it('reports a service-account signing key that is not in --service-account-key-file', async () => {
    const [ca, other] = [await clusterCa(), await otherCa()];
    const sa = ['--service-account-key-file=/etc/kubernetes/pki/sa.pub', '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key'];
    assert.deepEqual(
      await findings(keyMismatch, {
        [APISERVER]: manifest('kube-apiserver', sa),
        'etc/kubernetes/pki/sa.pub': ca.cert,
        'etc/kubernetes/pki/sa.key': other.key,
      }),
      [
        `${APISERVER}:11:42-11:68 sa.key (from --service-account-signing-key-file in kube-apiserver.yaml) is not the private half of any key in sa.pub (from --service-account-key-file in kube-apiserver.yaml): service account tokens it signs will be rejected`,
      ],
    );
  });
});

describe('key-mismatch judges an EC key by the point Go derives from its scalar, not the stored one', () => {
  // The swapped key holds apiserver's scalar and other-ca's stored point: Go pairs it with apiserver.crt, OpenSSL with other-ca's.
  const tree = async (cert: string) => {
    const [leaf, other, ca] = [await serving(), await otherCa(), await clusterCa()];
    return {
      [APISERVER]: manifest('kube-apiserver', flags),
      'etc/kubernetes/pki/apiserver.crt': cert === 'leaf' ? leaf.cert : other.cert,
      'etc/kubernetes/pki/apiserver.key': swappedPoint(leaf.key, other.key).sec1Pem,
      'etc/kubernetes/pki/ca.crt': ca.cert,
      'etc/kubernetes/pki/ca.key': ca.key,
    };
  };

  it('is silent beside the certificate of the key whose scalar it holds (Go accepts the pair)', async () => {
    assert.deepEqual(await findings(keyMismatch, await tree('leaf')), []);
  });

  // other-ca's certificate is self-signed, not by ca.crt: no re-issue is offered.
  it('is silent beside its certificate when it stores its own point compressed (Go compares points, not encodings)', async () => {
    const [leaf, ca] = [await serving(), await clusterCa()];
    const tree = {
      [APISERVER]: manifest('kube-apiserver', flags),
      'etc/kubernetes/pki/apiserver.crt': leaf.cert,
      'etc/kubernetes/pki/apiserver.key': compressedPoint(leaf.key).sec1Pem,
      'etc/kubernetes/pki/ca.crt': ca.cert,
      'etc/kubernetes/pki/ca.key': ca.key,
    };
    assert.deepEqual(await findings(keyMismatch, tree), []);
  });

  it('reports it beside the certificate of the key whose point it stores (Go refuses the pair)', async () => {
    const [leaf, other] = [await serving(), await otherCa()];
    assert.deepEqual(await findings(keyMismatch, await tree('other')), [
      `${APISERVER}:12:30-12:63 apiserver.key (from --tls-private-key-file in kube-apiserver.yaml) does not belong to apiserver.crt (from --tls-cert-file in kube-apiserver.yaml): its public half ${fingerprint(leaf.key)} differs from the certificate's ${fingerprint(other.cert)}`,
    ]);
  });
});

describe('key-mismatch on API objects', () => {
  it("reports a Secret's tls.key that is not tls.crt's key, on tls.key; a matching pair is silent", async () => {
    const [a, b] = [await clusterCa(), await otherCa()];
    const data = { 'tls.crt': a.cert, 'tls.key': b.key };
    const seen = await findings(keyMismatch, {
      'web/bad.yaml': secret('frontend-tls', 'web', data),
      'web/good.yaml': secret('ok', 'web', { 'tls.crt': a.cert, 'tls.key': a.key }),
    });
    assert.equal(seen.length, 1);
    assert.ok(seen[0].startsWith(`web/bad.yaml:${secretValueAt(data, 1)} tls.key of Secret web/frontend-tls does not belong to its tls.crt: `), seen[0]);
  });

  it("reports a CSR's status.certificate that certifies another key than its request's, on status.certificate", async () => {
    const [jane, other, ca] = [await makeCsr([['CN', 'jane']]), await makeCsr([['CN', 'jane']]), await clusterCa()];
    const certFor = async (keys: CryptoKeyPair) =>
      `${(
        await issueCertificate(
          {
            subject: [['CN', 'jane']],
            ca: false,
            usages: ['clientAuth'],
            sans: [],
            notBefore: new Date('2025-01-01T00:00:00Z'),
            notAfter: new Date('2026-01-01T00:00:00Z'),
            publicKey: keys.publicKey,
          },
          undefined,
          { certificate: ca.x509, privateKey: ca.privateKey },
        )
      ).toString('pem')}\n`;
    const fields = { request: jane.pem, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] };
    const wrong = await certFor(other.keys);
    const seen = await findings(keyMismatch, {
      'csr/good.yaml': csrManifest('jane', { ...fields, certificate: await certFor(jane.keys) }),
      'csr/bad.yaml': csrManifest('jane-2', { ...fields, certificate: wrong }),
    });
    // The first 8 bytes of each key's SHA-256 (of its SubjectPublicKeyInfo), as the message shows them.
    const fingerprint = async (keys: CryptoKeyPair) =>
      createHash('sha256')
        .update(Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey)))
        .digest('hex')
        .toUpperCase()
        .match(/../g)!
        .slice(0, 8)
        .join(':');
    assert.deepEqual(seen, [
      `csr/bad.yaml:11:16-11:${16 + b64(wrong).length} certificate of CertificateSigningRequest jane-2 does not certify the key of its spec.request: the certificate holds EC P-256 ${await fingerprint(other.keys)}..., the request EC P-256 ${await fingerprint(jane.keys)}...`,
    ]);
  });
});
