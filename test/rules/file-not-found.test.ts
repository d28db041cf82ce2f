import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileNotFound } from '../../server/src/engine/rules/fileNotFound';
import { clusterCa, findings, manifest } from '../support/ruleTester';

const MANIFEST = 'etc/kubernetes/manifests/kube-apiserver.yaml';

describe('file-not-found', () => {
  it('is silent when the named file is in the tree', async () => {
    const ca = await clusterCa();
    assert.deepEqual(
      await findings(fileNotFound, {
        [MANIFEST]: manifest('kube-apiserver', ['--client-ca-file=/etc/kubernetes/pki/ca.crt']),
        'etc/kubernetes/pki/ca.crt': ca.cert,
      }),
      [],
    );
  });

  it('reports a missing file on the flag value, with the path it looked for', async () => {
    assert.deepEqual(await findings(fileNotFound, { [MANIFEST]: manifest('kube-apiserver', ['--client-ca-file=/etc/kubernetes/pki/ca.crt']) }), [
      `${MANIFEST}:10:24-10:50 /etc/kubernetes/pki/ca.crt (--client-ca-file) does not exist: looked for etc/kubernetes/pki/ca.crt`,
    ]);
  });

  it('offers to create a missing kubeadm leaf signed by its CA', async () => {
    const ca = await clusterCa();
    const tree = {
      [MANIFEST]: manifest('kube-apiserver', ['--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key']),
      'etc/kubernetes/pki/ca.crt': ca.cert,
      'etc/kubernetes/pki/ca.key': ca.key,
    };
    assert.deepEqual(await findings(fileNotFound, tree), [
      `${MANIFEST}:10:23-10:56 /etc/kubernetes/pki/apiserver.crt (--tls-cert-file) does not exist: looked for etc/kubernetes/pki/apiserver.crt [fix: Generate apiserver.crt and apiserver.key (API server serving certificate, signed by ca.crt)]`,
      `${MANIFEST}:11:30-11:63 /etc/kubernetes/pki/apiserver.key (--tls-private-key-file) does not exist: looked for etc/kubernetes/pki/apiserver.key [fix: Generate apiserver.crt and apiserver.key (API server serving certificate, signed by ca.crt)]`,
    ]);
  });

  it("takes an old kubelet's --config naming a folder (the static pod path) for what it is, not a missing KubeletConfiguration", async () => {
    const env = (config: string) => `KUBELET_KUBEADM_ARGS="--config=${config} --kubeconfig=/etc/kubernetes/kubelet.conf"\n`;
    const ENV = 'var/lib/kubelet/kubeadm-flags.env';
    const pods = { [MANIFEST]: manifest('kube-apiserver', []), 'etc/kubernetes/kubelet.conf': 'apiVersion: v1\nkind: Config\nclusters: []\n' };
    assert.deepEqual(await findings(fileNotFound, { ...pods, [ENV]: env('/etc/kubernetes/manifests') }), []);
    assert.deepEqual(await findings(fileNotFound, { ...pods, [ENV]: env('/etc/kubernetes/static-pods/') }), []);
    // A file name that is not there is still a missing KubeletConfiguration.
    assert.deepEqual(await findings(fileNotFound, { ...pods, [ENV]: env('/var/lib/kubelet/config.yaml') }), [
      `${ENV}:1:32-1:60 /var/lib/kubelet/config.yaml (--config) does not exist: looked for var/lib/kubelet/config.yaml`,
    ]);
  });
});
