import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { identityMismatch } from '../../server/src/engine/rules/identityMismatch';
import { clientCertDataAt, clusterCa, findings, kubeconfig, manifest, pki } from '../support/ruleTester';

const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const client = (cn: string, o?: string) =>
  pki(`id-${cn}-${o}`, { subject: [...(o ? [['O', o] as [string, string]] : []), ['CN', cn]], usages: ['clientAuth'], signer: clusterCa() });

async function tree(file: string, cert: { cert: string; key: string }, extra: Record<string, string> = {}) {
  const ca = await clusterCa();
  return {
    [APISERVER]: manifest('kube-apiserver', ['--client-ca-file=/etc/kubernetes/pki/ca.crt']),
    'etc/kubernetes/pki/ca.crt': ca.cert,
    'etc/kubernetes/pki/ca.key': ca.key,
    [file]: kubeconfig('user', cert, ca),
    ...extra,
  };
}

describe('identity-mismatch', () => {
  it('is silent on the scheduler as system:kube-scheduler', async () => {
    assert.deepEqual(await findings(identityMismatch, await tree('etc/kubernetes/scheduler.conf', await client('system:kube-scheduler'))), []);
  });

  it('reports a misspelt scheduler CN, with a re-issue as the right one', async () => {
    const cert = await client('system:kube-schedular');
    assert.deepEqual(await findings(identityMismatch, await tree('etc/kubernetes/scheduler.conf', cert)), [
      `etc/kubernetes/scheduler.conf:${clientCertDataAt(cert)} the client-certificate-data of user in scheduler.conf is used by kube-scheduler but its CN is "system:kube-schedular", not "system:kube-scheduler": RBAC gives it none of kube-scheduler's permissions [fix: Re-issue the client certificate of user as CN=system:kube-scheduler (signed by ca.crt)]`,
    ]);
  });

  it('takes the kubelet node name from etc/hostname (a fact the check reads, not the rule)', async () => {
    const kubelet = await client('system:node:cp-1', 'system:nodes');
    assert.deepEqual(await findings(identityMismatch, await tree('etc/kubernetes/kubelet.conf', kubelet, { 'etc/hostname': 'cp-1\n' })), []);
    assert.deepEqual(await findings(identityMismatch, await tree('etc/kubernetes/kubelet.conf', kubelet, { 'etc/hostname': 'CP-2\n' })), [
      `etc/kubernetes/kubelet.conf:${clientCertDataAt(kubelet)} the client-certificate-data of user in kubelet.conf is the kubelet's client certificate but its CN is "system:node:cp-1", not "system:node:cp-2": the Node authorizer will deny it [fix: Re-issue the client certificate of user as O=system:nodes, CN=system:node:cp-2 (signed by ca.crt)]`,
    ]);
  });
});
