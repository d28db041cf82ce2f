import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { envFile, readEnvFile } from '../../server/src/engine/kube/kinds/envFile';

/** [component, name, value, line, start character, end character] of each reference: what hover, lens and findings use. */
function refsOf(text: string, path: string) {
  return readEnvFile(text, path).flatMap((d) =>
    d.references.map((r) => [r.component, r.name, r.value, r.range.start.line, r.range.start.character, r.range.end.character]),
  );
}

describe('env-file kind (systemd EnvironmentFile=)', () => {
  it("reads kubespray's /etc/etcd.env ETCD_* variables as etcd's flags, each value's exact range", () => {
    const text =
      '# TLS settings\nETCD_TRUSTED_CA_FILE=/etc/ssl/etcd/ssl/ca.pem\nETCD_CERT_FILE=/etc/ssl/etcd/ssl/member-node1.pem  \nETCD_CLIENT_CERT_AUTH=true\n';
    assert.deepEqual(refsOf(text, '/n/etc/etcd.env'), [
      ['etcd', 'ETCD_TRUSTED_CA_FILE', '/etc/ssl/etcd/ssl/ca.pem', 1, 21, 45],
      ['etcd', 'ETCD_CERT_FILE', '/etc/ssl/etcd/ssl/member-node1.pem', 2, 15, 49],
    ]);
    assert.equal(readEnvFile(text, '/n/etc/etcd.env')[0].references[0].spec.name, '--trusted-ca-file');
  });

  it('reads the flags inside quoted KUBE_*_ARGS values (= and space forms), skipping comments and unknown flags', () => {
    const text = [
      '# KUBE_API_ARGS="--tls-cert-file=/commented.crt"',
      'KUBE_API_ADDRESS="--bind-address=0.0.0.0"',
      "KUBE_API_ARGS='--tls-cert-file=/srv/kubernetes/server.crt --v=2 --client-ca-file /srv/kubernetes/ca.crt'",
      '',
    ].join('\n');
    assert.deepEqual(refsOf(text, '/n/etc/kubernetes/apiserver'), [
      ['kube-apiserver', '--tls-cert-file', '/srv/kubernetes/server.crt', 2, 31, 57],
      ['kube-apiserver', '--client-ca-file', '/srv/kubernetes/ca.crt', 2, 81, 103],
    ]);
  });

  it('takes the component from the file name, else from the variable (KUBE_CONTROLLER_MANAGER_ARGS wherever it is)', () => {
    const args = 'KUBE_CONTROLLER_MANAGER_ARGS="--root-ca-file=/srv/kubernetes/ca.crt"\n';
    assert.deepEqual(
      refsOf(args, '/n/etc/sysconfig/kube-cm').map((r) => r[0]),
      ['kube-controller-manager'],
    );
    assert.deepEqual(
      refsOf('KUBE_PROXY_ARGS="--kubeconfig=/etc/kubernetes/proxy.kubeconfig"\n', '/n/etc/kubernetes/proxy').map((r) => r[0]),
      ['kube-proxy'],
    );
    // /etc/kubernetes/config is every component's: its flags (--master, --v) name no file of one component.
    assert.deepEqual(refsOf('KUBE_MASTER="--master=https://10.0.0.1:6443"\n', '/n/etc/kubernetes/config'), []);
  });

  it('is told by content: an ETCD_*_FILE or KUBE_*_ARGS assignment at a line start, not a mention or a shell script line', () => {
    assert.equal(envFile.detect('ETCD_CERT_FILE=/a.pem\n', ''), true);
    assert.equal(envFile.detect('  KUBE_SCHEDULER_ARGS="--kubeconfig=/a"\n', ''), true);
    assert.equal(envFile.detect('echo ETCD_CERT_FILE=/a.pem\n', ''), false);
    assert.equal(envFile.detect('ETCD_NAME=etcd1\n', ''), false);
  });
});
