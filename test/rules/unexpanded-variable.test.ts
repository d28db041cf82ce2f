import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileNotFound } from '../../server/src/engine/rules/fileNotFound';
import { sanMissing } from '../../server/src/engine/rules/sanMissing';
import { unexpandedVariable } from '../../server/src/engine/rules/unexpandedVariable';
import { clusterCa, findings, manifest, pki } from '../support/ruleTester';

// The hard way's units: the shell that writes them expands nothing, the node does.
const UNIT = 'etc/systemd/system/kube-apiserver.service';
const unit = (advertise: string, certDir: string) =>
  [
    '[Unit]',
    'Description=Kubernetes API Server',
    '',
    '[Service]',
    'ExecStart=/usr/local/bin/kube-apiserver \\',
    `  --advertise-address=${advertise} \\`,
    '  --service-cluster-ip-range=10.32.0.0/24 \\',
    `  --tls-cert-file=${certDir}/kubernetes.pem \\`,
    `  --tls-private-key-file=${certDir}/kubernetes-key.pem`,
    '',
  ].join('\n');
const KUBELET_UNIT = 'etc/systemd/system/kubelet.service';
const kubeletUnit = ['[Service]', 'ExecStart=/usr/local/bin/kubelet --hostname-override=%H --client-ca-file=$CA_DIR/ca.pem', ''].join('\n');
const MANIFEST = 'etc/kubernetes/manifests/kube-apiserver.yaml';

const serving = () =>
  pki('hard-way-apiserver', {
    subject: [['CN', 'kubernetes']],
    usages: ['serverAuth'],
    sans: ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', '10.32.0.1'],
    signer: clusterCa(),
  });

describe('unexpanded-variable', () => {
  it('notes each flag value a shell or systemd expands on the node, on the value', async () => {
    const tree = { [UNIT]: unit('${INTERNAL_IP}', '/var/lib/kubernetes'), [KUBELET_UNIT]: kubeletUnit };
    assert.deepEqual(await findings(unexpandedVariable, tree), [
      `${UNIT}:6:23-6:37 \${INTERNAL_IP} (--advertise-address) holds \${INTERNAL_IP}, expanded on the node: kube-pki checks no file or address behind it`,
      `${KUBELET_UNIT}:2:54-2:56 %H (--hostname-override) holds %H, expanded on the node: kube-pki checks no file or address behind it`,
      `${KUBELET_UNIT}:2:74-2:88 $CA_DIR/ca.pem (--client-ca-file) holds $CA_DIR, expanded on the node: kube-pki checks no file or address behind it`,
    ]);
  });

  it("notes a static pod's $(VAR), which the kubelet expands in a container's command", async () => {
    const tree = { [MANIFEST]: manifest('kube-apiserver', ['--etcd-servers=https://$(POD_IP):2379']) };
    assert.deepEqual(await findings(unexpandedVariable, tree), [
      `${MANIFEST}:10:22-10:44 https://$(POD_IP):2379 (--etcd-servers) holds $(POD_IP), expanded on the node: kube-pki checks no file or address behind it`,
    ]);
  });

  it('is silent on literal values, escapes (%%, $$) and percent-encoded bytes', async () => {
    const tree = {
      [MANIFEST]: manifest('kube-apiserver', [
        '--advertise-address=192.168.10.10',
        '--client-ca-file=/etc/kubernetes/pki/100%%/ca.crt',
        '--etcd-servers=https://etcd%2Ea:2379,https://a$$b:2379',
      ]),
    };
    assert.deepEqual(await findings(unexpandedVariable, tree), []);
  });

  it('no SAN is required for an address written as a variable; a literal one still is', async () => {
    const leaf = await serving();
    const files = { 'var/lib/kubernetes/kubernetes.pem': leaf.cert, 'var/lib/kubernetes/kubernetes-key.pem': leaf.key };
    assert.deepEqual(await findings(sanMissing, { ...files, [UNIT]: unit('${INTERNAL_IP}', '/var/lib/kubernetes') }), []);
    assert.deepEqual(await findings(sanMissing, { ...files, [UNIT]: unit('$INTERNAL_IP', '/var/lib/kubernetes') }), []);
    assert.deepEqual(await findings(sanMissing, { ...files, [UNIT]: unit('10.240.0.10', '/var/lib/kubernetes') }), [
      `${UNIT}:8:19-8:53 kubernetes.pem (from --tls-cert-file in kube-apiserver.service) has no SAN 10.240.0.10, the --advertise-address`,
    ]);
  });

  it('no file check on a path written with a variable', async () => {
    assert.deepEqual(await findings(fileNotFound, { [UNIT]: unit('10.240.0.10', '${CERT_DIR}'), [KUBELET_UNIT]: kubeletUnit }), []);
  });
});
