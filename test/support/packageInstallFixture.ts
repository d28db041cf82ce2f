// A package-installed control-plane node (the RPM-era kubernetes-master/-node and etcd packages): each component a systemd unit
// reading EnvironmentFile=-/etc/kubernetes/config and /etc/kubernetes/<component> (KUBE_API_ARGS="--tls-cert-file=..."), etcd
// reading /etc/etcd/etcd.conf (quoted ETCD_* variables); certificates made by hand under /srv/kubernetes and /etc/etcd, kubeconfigs
// naming them by path.
import { FixtureTree, leafExtensions, nthAddress, Tree, toYaml } from './fixtureParts';
import { OpensslWorkspace, openssl } from './openssl';

export const NODE = 'node-a';
export const NODE_IP = '192.168.10.30';
export const SERVICE_CIDR = '10.254.0.0/16';
export const SRV = 'srv/kubernetes';
export const ETCD_DIR = 'etc/etcd';

const CA_EXTS = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign'];

/** A kubeconfig naming its files by path, as the packages' documentation has people write them. */
function pathKubeconfig(user: string, cert: string, key: string): string {
  return toYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local', cluster: { 'certificate-authority': `/${SRV}/ca.crt`, server: `https://${NODE_IP}:6443` } }],
    contexts: [{ name: 'local', context: { cluster: 'local', user } }],
    'current-context': 'local',
    users: [{ name: user, user: { 'client-certificate': cert, 'client-key': key } }],
  });
}

/** The two CAs and their leaves, written where the env files say. */
function writePki(tree: Tree): void {
  const ws = new OpensslWorkspace();
  const put = (name: string, at: string) => {
    tree.write(`${at}.crt`, ws.read(`${name}.crt`));
    tree.secret(`${at}.key`, ws.read(`${name}.key`));
  };
  try {
    ws.ca('ca', '/CN=kubernetes-ca', { extra: CA_EXTS });
    ws.ca('etcd-ca', '/CN=etcd-ca', { extra: CA_EXTS });
    const apiserverSans = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', NODE, 'localhost'];
    const ips = [nthAddress(SERVICE_CIDR, 1), NODE_IP, '127.0.0.1'];
    ws.signed('server', `/CN=${NODE}`, 'ca', leafExtensions('serverAuth', [...apiserverSans.map((d) => `DNS:${d}`), ...ips.map((i) => `IP:${i}`)]));
    const clients: Array<[string, string]> = [
      ['apiserver-kubelet-client', '/O=system:masters/CN=kube-apiserver-kubelet-client'],
      ['controller-manager', '/CN=system:kube-controller-manager'],
      ['scheduler', '/CN=system:kube-scheduler'],
      ['kube-proxy', '/CN=system:kube-proxy'],
      ['kubelet-client', `/O=system:nodes/CN=system:node:${NODE}`],
    ];
    for (const [name, subject] of clients) ws.signed(name, subject, 'ca', leafExtensions('clientAuth'));
    ws.signed('kubelet', `/CN=${NODE}`, 'ca', leafExtensions('serverAuth', [`DNS:${NODE}`, `IP:${NODE_IP}`]));
    const etcdSans = [`DNS:${NODE}`, 'DNS:localhost', `IP:${NODE_IP}`, 'IP:127.0.0.1'];
    ws.signed('etcd-server', `/CN=${NODE}`, 'etcd-ca', leafExtensions('serverAuth,clientAuth', etcdSans));
    ws.signed('etcd-peer', `/CN=${NODE}`, 'etcd-ca', leafExtensions('serverAuth,clientAuth', etcdSans));
    ws.signed('etcd-client', '/CN=kube-apiserver-etcd-client', 'etcd-ca', leafExtensions('clientAuth'));
    for (const name of ['ca', 'server', 'etcd-client', ...clients.map(([n]) => n), 'kubelet']) put(name, `${SRV}/${name}`);
    put('etcd-ca', `${ETCD_DIR}/ca`);
    put('etcd-server', `${ETCD_DIR}/server`);
    put('etcd-peer', `${ETCD_DIR}/peer`);
    ws.rsaKey('sa.key');
    tree.secret(`${SRV}/sa.key`, ws.read('sa.key'));
    tree.write(`${SRV}/sa.pub`, openssl(['rsa', '-in', ws.path('sa.key'), '-pubout']));
  } finally {
    ws.dispose();
  }
}

const srv = (name: string) => `/${SRV}/${name}`;

/** The packages' env files, filled in as their comments ask ("Add your own!"). */
function writeEnvFiles(tree: Tree): void {
  tree.write(
    'etc/kubernetes/config',
    `###\n# kubernetes system config\n#\n# The following values are used to configure various aspects of all\n# kubernetes services, including\n#\n#   kube-apiserver.service\n#   kube-controller-manager.service\n#   kube-scheduler.service\n#   kubelet.service\n#   kube-proxy.service\n# logging to stderr means we get it in the systemd journal\nKUBE_LOGTOSTDERR="--logtostderr=true"\n\n# journal message level, 0 is debug\nKUBE_LOG_LEVEL="--v=0"\n\n# Should this cluster be allowed to run privileged docker containers\nKUBE_ALLOW_PRIV="--allow-privileged=false"\n\n# How the controller-manager, scheduler, and proxy find the apiserver\nKUBE_MASTER="--master=https://${NODE_IP}:6443"\n`,
  );
  const apiArgs = [
    `--advertise-address=${NODE_IP}`,
    `--tls-cert-file=${srv('server.crt')}`,
    `--tls-private-key-file=${srv('server.key')}`,
    `--client-ca-file=${srv('ca.crt')}`,
    `--kubelet-certificate-authority=${srv('ca.crt')}`,
    `--kubelet-client-certificate=${srv('apiserver-kubelet-client.crt')}`,
    `--kubelet-client-key=${srv('apiserver-kubelet-client.key')}`,
    `--etcd-cafile=/${ETCD_DIR}/ca.crt`,
    `--etcd-certfile=${srv('etcd-client.crt')}`,
    `--etcd-keyfile=${srv('etcd-client.key')}`,
    `--service-account-key-file=${srv('sa.pub')}`,
    `--service-account-signing-key-file=${srv('sa.key')}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
  ];
  tree.write(
    'etc/kubernetes/apiserver',
    `###\n# kubernetes system config\n#\n# The following values are used to configure the kube-apiserver\n#\n\n# The address on the local server to listen to.\nKUBE_API_ADDRESS="--bind-address=0.0.0.0"\n\n# The port on the local server to listen on.\nKUBE_API_PORT="--secure-port=6443"\n\n# Comma separated list of nodes in the etcd cluster\nKUBE_ETCD_SERVERS="--etcd-servers=https://127.0.0.1:2379"\n\n# Address range to use for services\nKUBE_SERVICE_ADDRESSES="--service-cluster-ip-range=${SERVICE_CIDR}"\n\n# default admission control policies\nKUBE_ADMISSION_CONTROL="--enable-admission-plugins=NodeRestriction"\n\n# Add your own!\nKUBE_API_ARGS="${apiArgs.join(' ')}"\n`,
  );
  const cmArgs = [
    `--kubeconfig=/etc/kubernetes/controller-manager.kubeconfig`,
    `--root-ca-file=${srv('ca.crt')}`,
    `--service-account-private-key-file=${srv('sa.key')}`,
  ];
  tree.write(
    'etc/kubernetes/controller-manager',
    `###\n# The following values are used to configure the kubernetes controller-manager\n\n# Add your own!\nKUBE_CONTROLLER_MANAGER_ARGS="${cmArgs.join(' ')}"\n`,
  );
  tree.write(
    'etc/kubernetes/scheduler',
    `###\n# kubernetes scheduler config\n\n# Add your own!\nKUBE_SCHEDULER_ARGS="--kubeconfig=/etc/kubernetes/scheduler.kubeconfig"\n`,
  );
  const kubeletArgs = [
    `--kubeconfig=/etc/kubernetes/kubelet.kubeconfig`,
    `--client-ca-file=${srv('ca.crt')}`,
    `--tls-cert-file=${srv('kubelet.crt')}`,
    `--tls-private-key-file=${srv('kubelet.key')}`,
  ];
  tree.write(
    'etc/kubernetes/kubelet',
    `###\n# kubernetes kubelet (minion) config\n\n# The address for the info server to serve on (set to 0.0.0.0 or "" for all interfaces)\nKUBELET_ADDRESS="--address=0.0.0.0"\n\n# You may leave this blank to use the actual hostname\nKUBELET_HOSTNAME="--hostname-override=${NODE}"\n\n# Add your own!\nKUBELET_ARGS="${kubeletArgs.join(' ')}"\n`,
  );
  tree.write(
    'etc/kubernetes/proxy',
    `###\n# kubernetes proxy config\n\n# Add your own!\nKUBE_PROXY_ARGS="--kubeconfig=/etc/kubernetes/kube-proxy.kubeconfig"\n`,
  );
  const etcd = `/${ETCD_DIR}`;
  tree.write(
    `${ETCD_DIR}/etcd.conf`,
    `#[Member]\nETCD_DATA_DIR="/var/lib/etcd/default.etcd"\nETCD_LISTEN_PEER_URLS="https://${NODE_IP}:2380"\nETCD_LISTEN_CLIENT_URLS="https://127.0.0.1:2379,https://${NODE_IP}:2379"\nETCD_NAME="${NODE}"\n#[Clustering]\nETCD_INITIAL_ADVERTISE_PEER_URLS="https://${NODE_IP}:2380"\nETCD_ADVERTISE_CLIENT_URLS="https://${NODE_IP}:2379"\nETCD_INITIAL_CLUSTER="${NODE}=https://${NODE_IP}:2380"\n#[Security]\nETCD_CERT_FILE="${etcd}/server.crt"\nETCD_KEY_FILE="${etcd}/server.key"\nETCD_CLIENT_CERT_AUTH="true"\nETCD_TRUSTED_CA_FILE="${etcd}/ca.crt"\nETCD_PEER_CERT_FILE="${etcd}/peer.crt"\nETCD_PEER_KEY_FILE="${etcd}/peer.key"\nETCD_PEER_CLIENT_CERT_AUTH="true"\nETCD_PEER_TRUSTED_CA_FILE="${etcd}/ca.crt"\n`,
  );
}

/** The packages' units: ExecStart expands the env files' variables. */
function writeUnits(tree: Tree): void {
  const unit = (name: string, program: string, files: string[], vars: string[]) =>
    tree.write(
      `usr/lib/systemd/system/${name}.service`,
      `[Unit]\nDescription=${name}\nAfter=network.target\n\n[Service]\n${files.map((f) => `EnvironmentFile=-${f}\n`).join('')}ExecStart=${program} ${vars.map((v) => `$${v}`).join(' ')}\nRestart=on-failure\n\n[Install]\nWantedBy=multi-user.target\n`,
    );
  const common = ['KUBE_LOGTOSTDERR', 'KUBE_LOG_LEVEL'];
  unit(
    'kube-apiserver',
    '/usr/bin/kube-apiserver',
    ['/etc/kubernetes/config', '/etc/kubernetes/apiserver'],
    [...common, 'KUBE_ETCD_SERVERS', 'KUBE_API_ADDRESS', 'KUBE_API_ARGS'],
  );
  unit(
    'kube-controller-manager',
    '/usr/bin/kube-controller-manager',
    ['/etc/kubernetes/config', '/etc/kubernetes/controller-manager'],
    [...common, 'KUBE_MASTER', 'KUBE_CONTROLLER_MANAGER_ARGS'],
  );
  unit('etcd', '/usr/bin/etcd', ['/etc/etcd/etcd.conf'], []);
}

function writeKubeconfigs(tree: Tree): void {
  const kc = (file: string, user: string, name: string) => tree.secret(`etc/kubernetes/${file}`, pathKubeconfig(user, srv(`${name}.crt`), srv(`${name}.key`)));
  kc('controller-manager.kubeconfig', 'system:kube-controller-manager', 'controller-manager');
  kc('scheduler.kubeconfig', 'system:kube-scheduler', 'scheduler');
  kc('kube-proxy.kubeconfig', 'system:kube-proxy', 'kube-proxy');
  kc('kubelet.kubeconfig', `system:node:${NODE}`, 'kubelet-client');
}

/** A package-installed control-plane node under root. */
export function makePackageInstallNode(root: string): FixtureTree {
  const tree = new Tree(root);
  writePki(tree);
  writeEnvFiles(tree);
  writeUnits(tree);
  writeKubeconfigs(tree);
  tree.write('etc/hostname', `${NODE}\n`);
  return tree.result();
}
