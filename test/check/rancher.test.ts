import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { missingPeer } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { dataDir, makeRancherServer } from '../support/rancherFixture';
import { edit, findingsOf, fixtureTrees, issue, lineOf, writeKeyFile } from '../support/seed';
import { service } from '../support/service';

const skip = missingPeer('openssl');
const TLS = `${dataDir('k3s')}/server/tls`;
const CRED = `${dataDir('k3s')}/server/cred`;
const ca = (name: string) => ({ cert: `${TLS}/${name}.crt`, key: `${TLS}/${name}.key` });

/** Re-issues a leaf of server/tls as the supervisor writes it: the certificate, then its CA (the chain appended). */
function reissue(
  root: string,
  name: string,
  signer: string,
  subject: string,
  extensions: string[],
  dates: { endDate?: string; startDate?: string } = {},
): void {
  const pair = issue(root, ca(signer), subject, extensions, dates);
  writeFileSync(join(root, TLS, `${name}.crt`), pair.cert + readFileSync(join(root, TLS, `${signer}.crt`), 'utf8'));
  writeKeyFile(root, `${TLS}/${name}.key`, pair.key);
}

const CLIENT = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth'];

describeNeeding('kube-pki check on a k3s server (server/tls, server/cred, agent)', skip, () => {
  const trees = fixtureTrees((root) => makeRancherServer(root));
  const seeded = trees.seeded;

  it('finds nothing wrong with the clean layout: appended CA chains, keys without certificates, service.key are the layout', async () => {
    const report = await service.checkTree(trees.clean());
    assert.deepEqual(report.findings, []);
    // Eight kubeconfigs and /etc/rancher/k3s/config.yaml.
    assert.equal(report.configFiles, 10);
  });

  it("kube-pki expiry lists every certificate and CA by the supervisor's name for it, each CA key present", async () => {
    const table = await service.expiry(trees.clean());
    const roles = (rows: typeof table.certificates) =>
      rows.map((r) => `${r.role} ${r.ca ?? '-'} ${r.referenced ? 'used' : 'unused'} ${r.caKeyPresent ? 'key' : 'no-key'}`).sort();
    assert.deepEqual(roles(table.authorities), [
      'client-ca - used key',
      'etcd-peer-ca - used key',
      'etcd-server-ca - used key',
      'request-header-ca - used key',
      'server-ca - used key',
    ]);
    assert.deepEqual(roles(table.certificates), [
      'agent client-k3s-controller client-ca used key',
      'agent client-kube-proxy client-ca used key',
      'agent client-kubelet client-ca used key',
      'agent serving-kubelet server-ca used key',
      'client-admin client-ca used key',
      'client-auth-proxy request-header-ca used key',
      'client-controller client-ca used key',
      'client-k3s-cloud-controller client-ca used key',
      'client-k3s-controller client-ca unused key',
      'client-kube-apiserver client-ca used key',
      'client-kube-proxy client-ca unused key',
      'client-scheduler client-ca used key',
      'client-supervisor client-ca used key',
      'etcd-client etcd-server-ca used key',
      'etcd-peer-server-client etcd-peer-ca used key',
      'etcd-server-client etcd-server-ca used key',
      'serving-kube-apiserver server-ca used key',
    ]);
  });

  it('cert-expired: an expired client-controller.crt, on the line of controller.kubeconfig that names it', async () => {
    const root = seeded((r) =>
      reissue(r, 'client-controller', 'client-ca', '/CN=system:kube-controller-manager', CLIENT, { startDate: '20230101000000Z', endDate: '20240101000000Z' }),
    );
    const kubeconfig = `${CRED}/controller.kubeconfig`;
    assert.deepEqual(await findingsOf(root), [['cert-expired', kubeconfig, lineOf(root, kubeconfig, 'client-certificate:')]]);
  });

  it('san-missing: serving-kube-apiserver.crt without kubernetes.default.svc (k3s #3392), on the certificate', async () => {
    const sans =
      'subjectAltName=DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,DNS:k3s.example.com,IP:127.0.0.1,IP:10.43.0.1,IP:192.168.10.20';
    const root = seeded((r) =>
      reissue(r, 'serving-kube-apiserver', 'server-ca', '/CN=kube-apiserver', [...CLIENT.slice(0, 2), 'extendedKeyUsage=serverAuth', sans]),
    );
    const report = await service.checkTree(root);
    assert.deepEqual(
      report.findings.map((f) => [f.code, f.file.slice(root.length + 1), f.range.start.line + 1]),
      [['san-missing', `${TLS}/serving-kube-apiserver.crt`, 1]],
    );
    assert.match(report.findings[0].message, /kubernetes\.default\.svc\b/);
  });

  it('san-missing: a tls-san of /etc/rancher/k3s/config.yaml the serving certificate lacks, on the certificate and on the tls-san line', async () => {
    const config = 'etc/rancher/k3s/config.yaml';
    const root = seeded((r) => edit(r, config, (t) => t.replace('tls-san:\n', 'tls-san:\n- api.example.com\n')));
    const report = await service.checkTree(root);
    assert.deepEqual(report.findings.map((f) => [f.code, f.file.slice(root.length + 1), f.range.start.line + 1, f.range.start.character]).sort(), [
      ['san-missing', config, lineOf(root, config, 'api.example.com'), 2],
      ['san-missing', `${TLS}/serving-kube-apiserver.crt`, 1, 0],
    ]);
    assert.deepEqual(report.findings.map((f) => f.message).sort(), [
      'api.example.com, the tls-san in config.yaml, is not a name in serving-kube-apiserver.crt (from --tls-cert-file, which k3s passes to kube-apiserver): clients reaching the API server by this name reject it',
      'serving-kube-apiserver.crt (from --tls-cert-file, which k3s passes to kube-apiserver) has no SAN api.example.com, the tls-san in config.yaml',
    ]);
  });

  it('san-missing: config.yaml.d drop-ins (comma-separated tls-san) and cluster-domain feed the expected names too', async () => {
    const dropIn = 'etc/rancher/k3s/config.yaml.d/10-names.yaml';
    const root = seeded((r) => {
      mkdirSync(join(r, 'etc/rancher/k3s/config.yaml.d'));
      writeFileSync(join(r, dropIn), 'tls-san: "k3s.example.com, lb.example.com"\ncluster-domain: example.internal\n');
    });
    const report = await service.checkTree(root);
    assert.deepEqual(
      report.findings.map((f) => [f.code, f.file.slice(root.length + 1), f.range.start.line + 1, f.range.start.character, f.range.end.character]).sort(),
      [
        ['san-missing', dropIn, 1, 27, 41],
        ['san-missing', `${TLS}/serving-kube-apiserver.crt`, 1, 0, 0],
      ],
    );
    assert.match(report.findings.find((f) => f.file.endsWith('.crt'))!.message, /kubernetes\.default\.svc\.example\.internal .*lb\.example\.com/);
  });

  it('ca-mismatch: client-scheduler.crt signed by the server CA, which the API server does not trust for clients', async () => {
    const root = seeded((r) => reissue(r, 'client-scheduler', 'server-ca', '/CN=system:kube-scheduler', CLIENT));
    const kubeconfig = `${CRED}/scheduler.kubeconfig`;
    assert.deepEqual(await findingsOf(root), [['ca-mismatch', kubeconfig, lineOf(root, kubeconfig, 'client-certificate:')]]);
  });

  it("key-mismatch: client-admin.key that is not client-admin.crt's key, on admin.kubeconfig's client-key", async () => {
    const root = seeded((r) => writeKeyFile(r, `${TLS}/client-admin.key`, issue(r, ca('client-ca'), '/CN=other', CLIENT).key));
    const kubeconfig = `${CRED}/admin.kubeconfig`;
    assert.deepEqual(await findingsOf(root), [['key-mismatch', kubeconfig, lineOf(root, kubeconfig, 'client-key:')]]);
  });

  it("identity-mismatch: client-controller.crt with the scheduler's CN; client-kube-apiserver.crt without system:masters", async () => {
    const root = seeded((r) => {
      reissue(r, 'client-controller', 'client-ca', '/CN=system:kube-scheduler', CLIENT);
      reissue(r, 'client-kube-apiserver', 'client-ca', '/CN=system:apiserver', CLIENT);
    });
    const controller = `${CRED}/controller.kubeconfig`;
    const apiserver = `${CRED}/api-server.kubeconfig`;
    const report = await service.checkTree(root);
    assert.deepEqual(
      report.findings.map((f) => [f.code, f.file.slice(root.length + 1), f.range.start.line + 1, f.message]),
      [
        [
          'identity-mismatch',
          apiserver,
          lineOf(root, apiserver, 'client-certificate:'),
          'client-kube-apiserver.crt (from client-certificate of user in api-server.kubeconfig) is used by kube-apiserver but its O is missing, without "system:masters": RBAC gives it none of kube-apiserver\'s permissions',
        ],
        [
          'identity-mismatch',
          controller,
          lineOf(root, controller, 'client-certificate:'),
          'client-controller.crt (from client-certificate of user in controller.kubeconfig) is used by kube-controller-manager but its CN is "system:kube-scheduler", not "system:kube-controller-manager": RBAC gives it none of kube-controller-manager\'s permissions',
        ],
      ],
    );
  });
});

describeNeeding('kube-pki check on an RKE2 server (static pods in agent/pod-manifests) and agent', skip, () => {
  const RKE2 = dataDir('rke2');
  const trees = fixtureTrees((root) =>
    makeRancherServer(join(root, 'server-1'), {
      program: 'rke2',
      tlsSans: ['rke2.example.com'],
      agents: [{ root: join(root, 'agent-1'), nodeName: 'agent-1', nodeIp: '192.168.10.21' }],
    }),
  );
  const seeded = trees.seeded;
  const serverCa = (name: string) => ({ cert: `server-1/${RKE2}/server/tls/${name}.crt`, key: `server-1/${RKE2}/server/tls/${name}.key` });
  /** Re-issues a file of the tree signed by a server CA, the CA appended as the agent writes it. */
  function reissueAt(
    root: string,
    file: string,
    signer: string,
    subject: string,
    extensions: string[],
    dates: { endDate?: string; startDate?: string } = {},
  ): void {
    const pair = issue(root, serverCa(signer), subject, extensions, dates);
    writeFileSync(join(root, `${file}.crt`), pair.cert + readFileSync(join(root, serverCa(signer).cert), 'utf8'));
    writeKeyFile(root, `${file}.key`, pair.key);
  }

  it('finds nothing wrong with the clean layout (two nodes: the server with its agent, an agent alone)', async () => {
    const report = await service.checkTree(trees.clean());
    assert.deepEqual(report.findings, []);
    assert.equal(report.nodes, 2);
  });

  it("kube-pki expiry lists each CA once, at the copy whose key is in the tree (server/tls, not the agents' copies)", async () => {
    const table = await service.expiry(trees.clean());
    assert.deepEqual(
      table.authorities.map((r) => `${r.role} ${r.file.slice(trees.clean().length + 1)} ${r.caKeyPresent ? 'key' : 'no-key'}`).sort(),
      ['client-ca', 'etcd/peer-ca', 'etcd/server-ca', 'request-header-ca', 'server-ca'].map(
        (name) => `${name.replace('etcd/', 'etcd-')} server-1/${RKE2}/server/tls/${name}.crt key`,
      ),
    );
  });

  it("san-missing: RKE2's serving certificate without kubernetes.default.svc (k3s #3392), on the manifest's --tls-cert-file", async () => {
    const sans =
      'subjectAltName=DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,DNS:rke2.example.com,IP:127.0.0.1,IP:10.43.0.1,IP:192.168.10.20';
    const root = seeded((r) =>
      reissueAt(r, `server-1/${RKE2}/server/tls/serving-kube-apiserver`, 'server-ca', '/CN=kube-apiserver', [
        ...CLIENT.slice(0, 2),
        'extendedKeyUsage=serverAuth',
        sans,
      ]),
    );
    const manifest = `server-1/${RKE2}/agent/pod-manifests/kube-apiserver.yaml`;
    assert.deepEqual(await findingsOf(root), [['san-missing', manifest, lineOf(root, manifest, '--tls-cert-file=')]]);
  });

  it("cert-expired: the agent's expired client-kube-proxy.crt, on agent-1's kubeproxy.kubeconfig", async () => {
    const root = seeded((r) =>
      reissueAt(r, `agent-1/${RKE2}/agent/client-kube-proxy`, 'client-ca', '/CN=system:kube-proxy', CLIENT, {
        startDate: '20230101000000Z',
        endDate: '20240101000000Z',
      }),
    );
    const kubeconfig = `agent-1/${RKE2}/agent/kubeproxy.kubeconfig`;
    assert.deepEqual(await findingsOf(root), [['cert-expired', kubeconfig, lineOf(root, kubeconfig, 'client-certificate:')]]);
  });

  it("ca-mismatch: agent-1's client-kubelet.crt signed by the server CA, which the API server does not trust for clients", async () => {
    const root = seeded((r) => reissueAt(r, `agent-1/${RKE2}/agent/client-kubelet`, 'server-ca', '/O=system:nodes/CN=system:node:agent-1', CLIENT));
    const kubeconfig = `agent-1/${RKE2}/agent/kubelet.kubeconfig`;
    assert.deepEqual(await findingsOf(root), [['ca-mismatch', kubeconfig, lineOf(root, kubeconfig, 'client-certificate:')]]);
  });

  it("key-mismatch: agent-1's client-kubelet.key that is not its certificate's key, on kubelet.kubeconfig's client-key", async () => {
    const root = seeded((r) => writeKeyFile(r, `agent-1/${RKE2}/agent/client-kubelet.key`, issue(r, serverCa('client-ca'), '/CN=other', CLIENT).key));
    const kubeconfig = `agent-1/${RKE2}/agent/kubelet.kubeconfig`;
    assert.deepEqual(await findingsOf(root), [['key-mismatch', kubeconfig, lineOf(root, kubeconfig, 'client-key:')]]);
  });

  it("identity-mismatch: agent-1's client-kubelet.crt for another node (config.yaml's node-name is agent-1), on kubelet.kubeconfig's client-certificate", async () => {
    const root = seeded((r) => reissueAt(r, `agent-1/${RKE2}/agent/client-kubelet`, 'client-ca', '/O=system:nodes/CN=system:node:agent-2', CLIENT));
    const kubeconfig = `agent-1/${RKE2}/agent/kubelet.kubeconfig`;
    assert.deepEqual(await findingsOf(root), [['identity-mismatch', kubeconfig, lineOf(root, kubeconfig, 'client-certificate:')]]);
  });

  it("ca-mismatch: the server's serving-kubelet.crt signed by the client CA, on the API server's --kubelet-certificate-authority", async () => {
    const serving = [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=DNS:server-1,IP:192.168.10.20',
    ];
    const root = seeded((r) => reissueAt(r, `server-1/${RKE2}/agent/serving-kubelet`, 'client-ca', '/CN=server-1', serving));
    const manifest = `server-1/${RKE2}/agent/pod-manifests/kube-apiserver.yaml`;
    assert.deepEqual(await findingsOf(root), [['ca-mismatch', manifest, lineOf(root, manifest, '--kubelet-certificate-authority=')]]);
  });
});
