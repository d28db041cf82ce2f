import type { BuiltInFlag, Distribution } from './distribution';

/**
 * k3s and RKE2 write the same layout under /var/lib/rancher/<p> (k3s pkg/daemons/control/deps/deps.go,
 * pkg/agent/config/config.go; RKE2 is k3s with another program name): five CAs in server/tls, a client
 * certificate per user, kubeconfigs in server/cred that name files by path, the agent's in agent/.
 * `data` and `tls` place a copy recognised by its content (rancherCopies.ts): `''` when the copy's folder is the data dir.
 */
export function rancherDistribution(p: 'k3s' | 'rke2', data = `/var/lib/rancher/${p}`, tls = `${data}/server/tls`): Distribution {
  const agent = `${data}/agent`;
  const cred = `${data}/server/cred`;
  const roleByPath: Record<string, string> = {};
  // The supervisor's names are the roles: client-admin, serving-kube-apiserver, etcd/peer-server-client...
  const certs = [
    'client-ca',
    'server-ca',
    'request-header-ca',
    'etcd/server-ca',
    'etcd/peer-ca',
    'client-admin',
    'client-supervisor',
    'client-controller',
    'client-scheduler',
    'client-kube-apiserver',
    'client-kube-proxy',
    `client-${p}-controller`,
    `client-${p}-cloud-controller`,
    'client-auth-proxy',
    'serving-kube-apiserver',
    'etcd/client',
    'etcd/server-client',
    'etcd/peer-server-client',
  ];
  for (const name of certs) roleByPath[`${tls}/${name}.crt`] = name.startsWith('etcd/') ? `etcd-${name.slice(5)}` : name;
  for (const name of ['client-ca.nochain', 'server-ca.nochain']) roleByPath[`${tls}/${name}.crt`] = name;
  for (const name of ['client-ca', 'server-ca', 'client-kubelet', 'serving-kubelet', 'client-kube-proxy', `client-${p}-controller`])
    roleByPath[`${agent}/${name}.crt`] = `agent ${name}`;
  return {
    id: p,
    signatures: [`${tls}/client-ca.crt`, `${tls}/server-ca.crt`, `${agent}/client-kubelet.crt`, `${agent}/server-ca.crt`],
    layoutDirs: [`var/lib/rancher/${p}`, `etc/rancher/${p}`],
    kubeconfigUsers: [
      { path: `${cred}/admin.kubeconfig`, user: 'admin' },
      { path: `/etc/rancher/${p}/${p}.yaml`, user: 'admin' },
      { path: `${cred}/supervisor.kubeconfig`, user: `${p}-supervisor` },
      { path: `${cred}/controller.kubeconfig`, user: 'kube-controller-manager' },
      { path: `${cred}/scheduler.kubeconfig`, user: 'kube-scheduler' },
      { path: `${cred}/api-server.kubeconfig`, user: 'kube-apiserver' },
      { path: `${cred}/cloud-controller.kubeconfig`, user: `${p}-cloud-controller-manager` },
      { path: `${agent}/kubelet.kubeconfig`, user: 'kubelet' },
      { path: `${agent}/kubeproxy.kubeconfig`, user: 'kube-proxy' },
      { path: `${agent}/${p}controller.kubeconfig`, user: `${p}-controller` },
    ],
    identities: {
      'kube-controller-manager': { cn: 'system:kube-controller-manager' },
      'kube-scheduler': { cn: 'system:kube-scheduler' },
      'kube-proxy': { cn: 'system:kube-proxy' },
      'kube-apiserver': { cn: 'system:apiserver', orgs: ['system:masters'] },
      [`${p}-supervisor`]: { cn: `system:${p}-supervisor`, orgs: ['system:masters'] },
      [`${p}-controller`]: { cn: `system:${p}-controller` },
      [`${p}-cloud-controller-manager`]: { cn: `${p}-cloud-controller-manager` },
    },
    roleByFlag: {},
    roleByPath,
    builtIn: builtInFlags(tls, agent, cred),
    // dynamiclistener's cert.NewSignedCert: 365 days (CATTLE_NEW_SIGNED_CERT_EXPIRATION_DAYS changes it), the CA's certificate
    // written after the leaf; the agent's kubelet certificates come from the supervisor at start, not from kubelet rotation.
    // The install script's units: k3s / k3s-agent, rke2-server / rke2-agent.
    renewal: {
      leafDays: 365,
      appendsChain: true,
      kubeletRenewsOwn: false,
      services: p === 'k3s' ? { server: 'k3s', agent: 'k3s-agent' } : { server: 'rke2-server', agent: 'rke2-agent' },
    },
  };
}

/** The flags the supervisor passes to the components it runs in-process (pkg/daemons/control/server.go, pkg/daemons/agent). */
function builtInFlags(tls: string, agent: string, cred: string): BuiltInFlag[] {
  const flags = (component: BuiltInFlag['component'], pairs: Array<[string, string]>) => pairs.map(([flag, value]) => ({ component, flag, value }));
  return [
    ...flags('kube-apiserver', [
      ['--tls-cert-file', `${tls}/serving-kube-apiserver.crt`],
      ['--tls-private-key-file', `${tls}/serving-kube-apiserver.key`],
      ['--client-ca-file', `${tls}/client-ca.crt`],
      ['--requestheader-client-ca-file', `${tls}/request-header-ca.crt`],
      ['--requestheader-allowed-names', 'system:auth-proxy'],
      ['--proxy-client-cert-file', `${tls}/client-auth-proxy.crt`],
      ['--proxy-client-key-file', `${tls}/client-auth-proxy.key`],
      ['--kubelet-certificate-authority', `${tls}/server-ca.crt`],
      ['--kubelet-client-certificate', `${tls}/client-kube-apiserver.crt`],
      ['--kubelet-client-key', `${tls}/client-kube-apiserver.key`],
      ['--etcd-cafile', `${tls}/etcd/server-ca.crt`],
      ['--etcd-certfile', `${tls}/etcd/client.crt`],
      ['--etcd-keyfile', `${tls}/etcd/client.key`],
      // The default service-cidr (config.yaml's service-cidr replaces it): the kubernetes service's 10.43.0.1 is a name the serving certificate carries.
      ['--service-cluster-ip-range', '10.43.0.0/16'],
    ]),
    ...flags('etcd', [
      ['--cert-file', `${tls}/etcd/server-client.crt`],
      ['--key-file', `${tls}/etcd/server-client.key`],
      ['--trusted-ca-file', `${tls}/etcd/server-ca.crt`],
      ['--peer-cert-file', `${tls}/etcd/peer-server-client.crt`],
      ['--peer-key-file', `${tls}/etcd/peer-server-client.key`],
      ['--peer-trusted-ca-file', `${tls}/etcd/peer-ca.crt`],
    ]),
    ...flags('kube-controller-manager', [
      ['--kubeconfig', `${cred}/controller.kubeconfig`],
      ['--root-ca-file', `${tls}/server-ca.crt`],
    ]),
    ...flags('kube-scheduler', [['--kubeconfig', `${cred}/scheduler.kubeconfig`]]),
    ...flags('kubelet', [
      ['--kubeconfig', `${agent}/kubelet.kubeconfig`],
      ['--client-ca-file', `${agent}/client-ca.crt`],
      ['--tls-cert-file', `${agent}/serving-kubelet.crt`],
      ['--tls-private-key-file', `${agent}/serving-kubelet.key`],
    ]),
  ];
}
