import { FixtureTree, K8S_VERSION, kubeconfig, leafExtensions, staticPod, Tree, toYaml } from './fixtureParts';
import { OpensslWorkspace } from './openssl';

/** Kubernetes the Hard Way's names: its server, its worker node-0, its cluster and the subject every certificate starts with. */
const HARD_WAY = {
  serverIp: '10.240.0.10',
  nodeIp: '10.240.0.20',
  server: 'https://server.kubernetes.local:6443',
  cluster: 'kubernetes-the-hard-way',
  dn: '/C=US/ST=Washington/L=Seattle',
};

/** The hard way's CA and every certificate it signs, made by openssl in the flat workspace. */
function issueHardWayPki(ws: OpensslWorkspace): void {
  const { serverIp, nodeIp, dn } = HARD_WAY;
  ws.ca('ca', `${dn}/CN=CA`, { days: 3653, extra: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,cRLSign,keyCertSign'] });
  const client = (name: string, subject: string, eku = 'clientAuth', sans: string[] = []): void => {
    ws.signed(name, `${dn}${subject}`, 'ca', leafExtensions(eku, sans));
  };
  // The apiserver cert is also its kubelet client cert (--kubelet-client-certificate), hence clientAuth.
  client('kube-api-server', '/CN=kubernetes', 'serverAuth,clientAuth', [
    'IP:127.0.0.1',
    'IP:10.32.0.1',
    `IP:${serverIp}`,
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
    'DNS:server.kubernetes.local',
    'DNS:api-server.kubernetes.local',
  ]);
  client('service-accounts', '/CN=service-accounts');
  client('admin', '/O=system:masters/CN=admin');
  client('kube-controller-manager', '/CN=system:kube-controller-manager');
  client('kube-scheduler', '/CN=system:kube-scheduler');
  client('kube-proxy', '/O=system:node-proxier/CN=system:kube-proxy');
  // node-0's cert is both the kubelet's client cert and its serving cert (tlsCertFile).
  client('node-0', '/O=system:nodes/CN=system:node:node-0', 'clientAuth,serverAuth', ['DNS:node-0', `IP:${nodeIp}`]);
}

/** Where the hard way puts its certificates and kubeconfigs on the server and on node-0. */
function writeHardWayFiles(tree: Tree, ws: OpensslWorkspace): void {
  const { server, cluster } = HARD_WAY;
  const caPem = ws.read('ca.crt');
  const conf = (name: string, user: string): string => kubeconfig(cluster, server, caPem, user, ws.read(`${name}.crt`), ws.read(`${name}.key`), 'default');

  const lib = 'var/lib/kubernetes';
  tree.write(`${lib}/ca.crt`, caPem);
  tree.secret(`${lib}/ca.key`, ws.read('ca.key'));
  for (const name of ['kube-api-server', 'service-accounts']) {
    tree.write(`${lib}/${name}.crt`, ws.read(`${name}.crt`));
    tree.secret(`${lib}/${name}.key`, ws.read(`${name}.key`));
  }
  tree.secret(`${lib}/kube-controller-manager.kubeconfig`, conf('kube-controller-manager', 'system:kube-controller-manager'));
  tree.secret(`${lib}/kube-scheduler.kubeconfig`, conf('kube-scheduler', 'system:kube-scheduler'));
  tree.write('var/lib/kubelet/ca.crt', caPem);
  tree.write('var/lib/kubelet/kubelet.crt', ws.read('node-0.crt'));
  tree.secret('var/lib/kubelet/kubelet.key', ws.read('node-0.key'));
  tree.secret('var/lib/kubelet/kubeconfig', conf('node-0', 'system:node:node-0'));
  tree.secret('var/lib/kube-proxy/kubeconfig', conf('kube-proxy', 'system:kube-proxy'));
  tree.secret('root/admin.kubeconfig', conf('admin', 'admin'));
}

/** node-0's KubeletConfiguration. */
function writeHardWayKubeletConfig(tree: Tree): void {
  tree.write(
    'var/lib/kubelet/kubelet-config.yaml',
    toYaml({
      kind: 'KubeletConfiguration',
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      address: '0.0.0.0',
      authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: '/var/lib/kubelet/ca.crt' } },
      authorization: { mode: 'Webhook' },
      cgroupDriver: 'systemd',
      containerRuntimeEndpoint: 'unix:///var/run/containerd/containerd.sock',
      enableServer: true,
      failSwapOn: false,
      maxPods: 16,
      memorySwap: { swapBehavior: 'NoSwap' },
      port: 10250,
      resolvConf: '/etc/resolv.conf',
      registerNode: true,
      runtimeRequestTimeout: '15m',
      tlsCertFile: '/var/lib/kubelet/kubelet.crt',
      tlsPrivateKeyFile: '/var/lib/kubelet/kubelet.key',
    }),
  );
}

/** kube-apiserver, run as a static Pod here so that the checker can read its flags. */
function writeHardWayApiserver(tree: Tree): void {
  const { serverIp, server } = HARD_WAY;
  const lib = '/var/lib/kubernetes';
  tree.write(
    'etc/kubernetes/manifests/kube-apiserver.yaml',
    staticPod({
      name: 'kube-apiserver',
      image: `registry.k8s.io/kube-apiserver:${K8S_VERSION}`,
      command: [
        'kube-apiserver',
        `--advertise-address=${serverIp}`,
        '--allow-privileged=true',
        '--authorization-mode=Node,RBAC',
        '--bind-address=0.0.0.0',
        `--client-ca-file=${lib}/ca.crt`,
        '--enable-admission-plugins=NamespaceLifecycle,NodeRestriction,LimitRanger,ServiceAccount,DefaultStorageClass,ResourceQuota',
        '--etcd-servers=http://127.0.0.1:2379',
        '--event-ttl=1h',
        `--kubelet-certificate-authority=${lib}/ca.crt`,
        `--kubelet-client-certificate=${lib}/kube-api-server.crt`,
        `--kubelet-client-key=${lib}/kube-api-server.key`,
        '--runtime-config=api/all=true',
        '--secure-port=6443',
        `--service-account-issuer=${server}`,
        `--service-account-key-file=${lib}/service-accounts.crt`,
        `--service-account-signing-key-file=${lib}/service-accounts.key`,
        '--service-cluster-ip-range=10.32.0.0/24',
        '--service-node-port-range=30000-32767',
        `--tls-cert-file=${lib}/kube-api-server.crt`,
        `--tls-private-key-file=${lib}/kube-api-server.key`,
        '--v=2',
      ],
      volumes: [
        { name: 'ca-certs', hostPath: '/etc/ssl/certs', type: 'DirectoryOrCreate', readOnly: true },
        { name: 'var-lib-kubernetes', hostPath: lib, type: 'DirectoryOrCreate', readOnly: true },
      ],
      requests: { cpu: '250m' },
    }),
  );
}

/**
 * A clean "manual installation" as Kubernetes the Hard Way lays it out on its server (10.240.0.10) and worker
 * node-0 (10.240.0.20), with the apiserver run as a static Pod so that the checker can read its flags.
 */
export function makeManualInstallation(root: string): FixtureTree {
  const tree = new Tree(root);
  const ws = new OpensslWorkspace();
  try {
    issueHardWayPki(ws);
    writeHardWayFiles(tree, ws);
  } finally {
    ws.dispose();
  }
  writeHardWayKubeletConfig(tree);
  writeHardWayApiserver(tree);
  return tree.result();
}
