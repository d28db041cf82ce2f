import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { RSAPrivateKey } from '@peculiar/asn1-rsa';
import { AsnConvert } from '@peculiar/asn1-schema';
import { pemInvalid } from '../../server/src/engine/rules/pemInvalid';
import { b64, clusterCa, findings, kubeconfig, manifest, secret, secretValueAt } from '../support/ruleTester';

const MANIFEST = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const flags = ['--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key'];

describe('pem-invalid', () => {
  it('is silent when each flag names the kind it needs', async () => {
    const ca = await clusterCa();
    assert.deepEqual(
      await findings(pemInvalid, {
        [MANIFEST]: manifest('kube-apiserver', flags),
        'etc/kubernetes/pki/apiserver.crt': ca.cert,
        'etc/kubernetes/pki/apiserver.key': ca.key,
      }),
      [],
    );
  });

  it('reports a key where a certificate is expected, and a certificate where a key is, naming the file by its path and its flag', async () => {
    const ca = await clusterCa();
    assert.deepEqual(
      await findings(pemInvalid, {
        [MANIFEST]: manifest('kube-apiserver', flags),
        'etc/kubernetes/pki/apiserver.crt': ca.key,
        'etc/kubernetes/pki/apiserver.key': ca.cert,
      }),
      [
        `${MANIFEST}:10:23-10:56 etc/kubernetes/pki/apiserver.crt (from --tls-cert-file in kube-apiserver.yaml) holds no certificate (--tls-cert-file needs one)`,
        `${MANIFEST}:11:30-11:63 etc/kubernetes/pki/apiserver.key (from --tls-private-key-file in kube-apiserver.yaml) holds no private key (--tls-private-key-file needs one)`,
      ],
    );
  });

  it('reports inline data that is not base64, and a broken block nothing names on its BEGIN line', async () => {
    const ca = await clusterCa();
    const config = kubeconfig('admin', ca, ca).replace(`client-key-data: ${b64(ca.key)}`, 'client-key-data: not*base64');
    assert.deepEqual(
      await findings(pemInvalid, {
        'etc/kubernetes/admin.conf': config,
        'etc/kubernetes/pki/stray.crt': 'text\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      }),
      [
        'etc/kubernetes/admin.conf:18:22-18:32 the client-key-data of admin in admin.conf is not valid base64 (truncated)',
        'etc/kubernetes/pki/stray.crt:2:1-2:22 etc/kubernetes/pki/stray.crt: not a valid certificate: Data does not match to Certificate ASN1 schema.',
      ],
    );
  });

  it('reports an RSA key whose primes do not multiply to its modulus, which OpenSSL reads and Go refuses', async () => {
    const ca = await clusterCa();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const key = AsnConvert.parse(privateKey.export({ format: 'der', type: 'pkcs1' }), RSAPrivateKey);
    const p = new Uint8Array(key.prime1);
    p[p.length - 1] ^= 0x02;
    key.prime1 = p.buffer;
    const der = Buffer.from(AsnConvert.serialize(key)).toString('base64');
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${der.match(/.{1,64}/g)?.join('\n')}\n-----END RSA PRIVATE KEY-----\n`;
    assert.deepEqual(
      await findings(pemInvalid, {
        [MANIFEST]: manifest('kube-apiserver', flags),
        'etc/kubernetes/pki/apiserver.crt': ca.cert,
        'etc/kubernetes/pki/apiserver.key': pem,
      }),
      [
        `${MANIFEST}:11:30-11:63 etc/kubernetes/pki/apiserver.key (from --tls-private-key-file in kube-apiserver.yaml): block 1 (line 1): not a valid PKCS#1 private key: crypto/rsa: invalid modulus (Kubernetes: tls: failed to parse private key)`,
      ],
    );
  });
});

describe('pem-invalid on API objects', () => {
  it('reports a tls.crt that holds a key and a caBundle that is not base64, on the values; SOPS values and passwords are no finding', async () => {
    const ca = await clusterCa();
    const data = { 'tls.crt': ca.key, 'tls.key': ca.key, password: 'hunter2' };
    const sops = secret('enc', 'web', {}).replace('data:\n', 'data:\n  tls.crt: ENC[AES256_GCM,data:abc=,iv:x,tag:y,type:str]\n');
    const webhook = [
      'apiVersion: admissionregistration.k8s.io/v1',
      'kind: ValidatingWebhookConfiguration',
      'metadata:',
      '  name: policy',
      'webhooks:',
      '- name: validate.policy.example.com',
      '  clientConfig:',
      '    caBundle: not*base64',
      '    service: {name: policy, namespace: policy}',
      '',
    ].join('\n');
    assert.deepEqual(await findings(pemInvalid, { 'web/tls.yaml': secret('frontend-tls', 'web', data), 'web/enc.yaml': sops, 'hook.yaml': webhook }), [
      'hook.yaml:8:15-8:25 caBundle of ValidatingWebhookConfiguration policy is not valid base64 (truncated)',
      `web/tls.yaml:${secretValueAt(data, 0)} tls.crt of Secret web/frontend-tls holds no certificate (tls.crt needs a certificate)`,
    ]);
  });
});
