import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pemInvalid } from '../../server/src/engine/rules/pemInvalid';
import { b64, clusterCa, findings, kubeconfig, manifest } from '../support/ruleTester';

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
});
