import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { identityMismatch } from '../../server/src/engine/rules/identityMismatch';
import { clientCertDataAt, clusterCa, findings, kubeconfig, manifest, pki } from '../support/ruleTester';
import { service } from '../support/service';

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

  it("is silent on an admin kubeconfig whose certificate carries a group RBAC binds to cluster-admin (kubeadm's, old and new)", async () => {
    for (const [file, o] of [
      ['etc/kubernetes/admin.conf', 'kubeadm:cluster-admins'],
      ['etc/kubernetes/admin.conf', 'system:masters'],
      ['etc/kubernetes/super-admin.conf', 'system:masters'],
      ['admin.kubeconfig', 'system:masters'],
    ]) {
      assert.deepEqual(await findings(identityMismatch, await tree(file, await client('kubernetes-admin', o))), [], `${file} ${o}`);
    }
  });

  it("warns on the seed's admin certificate without O=system:masters: no permissions unless a ClusterRoleBinding names its CN", async () => {
    const seed = await client('Kubernetes-admin');
    for (const file of ['etc/kubernetes/admin.conf', 'etc/kubernetes/super-admin.conf', 'admin.kubeconfig', 'etc/rancher/k3s/k3s.yaml']) {
      assert.deepEqual(await findings(identityMismatch, await tree(file, seed)), [
        `${file}:${clientCertDataAt(seed)} the client-certificate-data of user in ${file.split('/').pop()} is the cluster's admin credential but its O is missing, not system:masters or kubeadm:cluster-admins: user "Kubernetes-admin" has no permissions unless a ClusterRoleBinding names it [fix: Re-issue the client certificate of user as O=system:masters, CN=Kubernetes-admin (signed by ca.crt)] [warning]`,
      ]);
    }
    const developers = await client('jane', 'developers');
    assert.deepEqual(await findings(identityMismatch, await tree('etc/kubernetes/admin.conf', developers)), [
      `etc/kubernetes/admin.conf:${clientCertDataAt(developers)} the client-certificate-data of user in admin.conf is the cluster's admin credential but its O is "developers", not system:masters or kubeadm:cluster-admins: user "jane" has no permissions unless a ClusterRoleBinding names it [fix: Re-issue the client certificate of user as O=system:masters, CN=jane (signed by ca.crt)] [warning]`,
    ]);
  });

  it("leaves a user's own kubeconfig alone: only the cluster's admin credential is expected to be an admin", async () => {
    assert.deepEqual(await findings(identityMismatch, await tree('home/jane/.kube/config', await client('jane', 'developers'))), []);
  });

  it('gives the admin finding its warning severity in a check, under the identity-mismatch code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-pki-admin-'));
    try {
      for (const [rel, text] of Object.entries(await tree('etc/kubernetes/admin.conf', await client('Kubernetes-admin')))) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), text, { mode: 0o600 });
      }
      const report = await service.checkTree(dir);
      assert.deepEqual(
        report.findings.filter((f) => f.code === 'identity-mismatch').map((f) => `${f.severity} ${f.file.slice(dir.length + 1)}:${f.range.start.line + 1}`),
        ['warning etc/kubernetes/admin.conf:17'],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
