import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { microk8sArgsFile } from '../../server/src/engine/distributions/microk8s';
import { readArgsFile } from '../../server/src/engine/kube/kinds/argsFile';
import { parseConfigText } from '../../server/src/engine/kube/parseConfigText';

const VARIABLES = { SNAP_DATA: '/var/snap/microk8s/current', SNAP: '/snap/microk8s/current', SNAP_COMMON: '/var/snap/microk8s/common' };

describe('MicroK8s args files', () => {
  it('reads each flag of a line as a reference: the snap variables expanded, the range on the value as written', () => {
    const text = [
      '# comment --tls-cert-file=/not/read',
      '',
      '--tls-cert-file=${SNAP_DATA}/certs/server.crt',
      '  --client-ca-file $SNAP_DATA/certs/ca.crt',
      '--etcd-cafile="${SNAP}/certs/etcd-ca.crt"',
      "--kubelet-client-certificate='${OTHER}/client.crt'",
      '--secure-port=16443',
    ].join('\n');
    const refs = readArgsFile(text, '/n/var/snap/microk8s/current/args/kube-apiserver', 'kube-apiserver', VARIABLES);
    assert.deepEqual(
      refs.map((r) => [r.name, r.value, r.range.start.line, r.range.start.character, r.range.end.character]),
      [
        ['--tls-cert-file', '/var/snap/microk8s/current/certs/server.crt', 2, 16, 45],
        ['--client-ca-file', '/var/snap/microk8s/current/certs/ca.crt', 3, 19, 42],
        ['--etcd-cafile', '/snap/microk8s/current/certs/etcd-ca.crt', 4, 15, 40],
        // Not the snap's: left as written, for unexpanded-variable to say so.
        ['--kubelet-client-certificate', '${OTHER}/client.crt', 5, 30, 49],
      ],
    );
  });

  it('is known by its path alone: args/<component> under /var/snap/microk8s/<revision>, nothing else', () => {
    assert.deepEqual(microk8sArgsFile('/x/var/snap/microk8s/7229/args/kubelet')?.variables.SNAP_DATA, '/var/snap/microk8s/7229');
    assert.equal(microk8sArgsFile('/x/var/snap/microk8s/current/args/kube-proxy')?.component, 'kube-proxy');
    for (const path of ['/x/var/snap/microk8s/current/args/containerd', '/x/etc/args/kubelet', '/x/var/snap/microk8s/current/args/cni-network/kubelet'])
      assert.equal(microk8sArgsFile(path), undefined, path);
    const flags = '--tls-cert-file=${SNAP_DATA}/certs/server.crt\n';
    assert.equal(parseConfigText('/x/var/snap/microk8s/current/args/kube-apiserver', flags)?.documents[0].kind, 'args-file');
    assert.equal(parseConfigText('/x/notes/kube-apiserver', flags), undefined);
  });
});
