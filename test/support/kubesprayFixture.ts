// A kubespray control-plane node as its roles leave it: kubeadm's files under kube_cert_dir /etc/kubernetes/ssl (the static pods
// point there), etcd run by systemd from /etc/etcd.env (roles/etcd/templates/etcd.env.j2) with the certificates of
// roles/etcd/files/make-ssl-etcd.sh under /etc/ssl/etcd/ssl: RSA 2048, CN etcd-ca / etcd-member-<h> / etcd-admin-<h> / etcd-node-<h>,
// every leaf made with openssl.conf.j2's [ssl_client] (clientAuth+serverAuth, SANs of every etcd host's name and IP, localhost,
// 127.0.0.1 and etcd_cert_alt_names).
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { makeKubeadmNode } from './clusterFixture';
import { FixtureTree, Tree, toYaml } from './fixtureParts';
import { OpensslWorkspace } from './openssl';

export const ETCD_SSL = 'etc/ssl/etcd/ssl';
export const KUBE_SSL = 'etc/kubernetes/ssl';

export interface EtcdHost {
  name: string;
  ip: string;
}

/** The inventory: node1 is this node (control plane and etcd member); node2 and node3 are the other etcd members. */
export const KUBESPRAY_HOSTS: EtcdHost[] = [
  { name: 'node1', ip: '192.168.10.10' },
  { name: 'node2', ip: '192.168.10.11' },
  { name: 'node3', ip: '192.168.10.12' },
];

/** openssl.conf.j2's [alt_names]: localhost, each etcd host, the default etcd_cert_alt_names; each host's ip, 127.0.0.1. */
export function etcdAltNames(hosts: EtcdHost[], dnsDomain = 'cluster.local'): string {
  const dns = ['localhost', ...hosts.map((h) => h.name), `etcd.kube-system.svc.${dnsDomain}`, 'etcd.kube-system.svc', 'etcd.kube-system', 'etcd'];
  return `subjectAltName=${[...dns.map((d) => `DNS:${d}`), ...hosts.map((h) => `IP:${h.ip}`), 'IP:127.0.0.1'].join(',')}`;
}

/** [ssl_client]: what make-ssl-etcd.sh signs every member, admin and node certificate with. */
export function sslClientExtensions(hosts: EtcdHost[]): string[] {
  return [
    'extendedKeyUsage=clientAuth,serverAuth',
    'basicConstraints=CA:FALSE',
    'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid,issuer',
    etcdAltNames(hosts),
  ];
}

/** /etc/ssl/etcd/ssl as make-ssl-etcd.sh fills it (MASTERS = the etcd hosts, HOSTS = the Kubernetes nodes), every file on every member. */
function writeEtcdPki(tree: Tree, hosts: EtcdHost[]): void {
  const ws = new OpensslWorkspace();
  try {
    // `openssl req -x509 -new -nodes -key ca-key.pem -days 10000 -subj /CN=etcd-ca`: openssl.cnf's v3_ca, no keyUsage.
    ws.ca('ca', '/CN=etcd-ca', { days: 10000, extra: ['basicConstraints=critical,CA:TRUE'] });
    tree.write(`${ETCD_SSL}/ca.pem`, ws.read('ca.crt'));
    tree.secret(`${ETCD_SSL}/ca-key.pem`, ws.read('ca.key'));
    const exts = sslClientExtensions(hosts);
    for (const host of hosts)
      for (const what of ['member', 'admin', 'node']) {
        const name = `${what}-${host.name}`;
        ws.signed(name, `/CN=etcd-${what}-${host.name.split('.')[0]}`, 'ca', exts, { days: 365 });
        tree.write(`${ETCD_SSL}/${name}.pem`, ws.read(`${name}.crt`));
        tree.secret(`${ETCD_SSL}/${name}-key.pem`, ws.read(`${name}.key`));
      }
  } finally {
    ws.dispose();
  }
}

/** etcd.env.j2 with etcd_secure_client: the member certificate serves clients and peers, ca.pem verifies both. */
export function etcdEnv(self: EtcdHost, hosts: EtcdHost[]): string {
  const ssl = `/${ETCD_SSL}`;
  const cluster = hosts.map((h, i) => `etcd${i + 1}=https://${h.ip}:2380`).join(',');
  return `# Environment file for etcd v3.5.16
ETCD_DATA_DIR=/var/lib/etcd
ETCD_ADVERTISE_CLIENT_URLS=https://${self.ip}:2379
ETCD_INITIAL_ADVERTISE_PEER_URLS=https://${self.ip}:2380
ETCD_INITIAL_CLUSTER_STATE=existing
ETCD_METRICS=basic
ETCD_LISTEN_CLIENT_URLS=https://${self.ip}:2379,https://127.0.0.1:2379
ETCD_ELECTION_TIMEOUT=5000
ETCD_HEARTBEAT_INTERVAL=250
ETCD_INITIAL_CLUSTER_TOKEN=k8s_etcd
ETCD_LISTEN_PEER_URLS=https://${self.ip}:2380
ETCD_NAME=etcd${hosts.indexOf(self) + 1}
ETCD_PROXY=off
ETCD_INITIAL_CLUSTER=${cluster}
ETCD_AUTO_COMPACTION_RETENTION=8

# TLS settings
ETCD_TRUSTED_CA_FILE=${ssl}/ca.pem
ETCD_CERT_FILE=${ssl}/member-${self.name}.pem
ETCD_KEY_FILE=${ssl}/member-${self.name}-key.pem
ETCD_CLIENT_CERT_AUTH=true

ETCD_PEER_TRUSTED_CA_FILE=${ssl}/ca.pem
ETCD_PEER_CERT_FILE=${ssl}/member-${self.name}.pem
ETCD_PEER_KEY_FILE=${ssl}/member-${self.name}-key.pem
ETCD_PEER_CLIENT_CERT_AUTH=True
`;
}

/** roles/etcd/templates/etcd-host.service.j2: etcd reads everything from its EnvironmentFile. */
const ETCD_SERVICE = `[Unit]
Description=etcd
After=network.target

[Service]
Type=notify
User=root
EnvironmentFile=/etc/etcd.env
ExecStart=/usr/local/bin/etcd
NotifyAccess=all
Restart=always
RestartSec=10s
LimitNOFILE=40000

[Install]
WantedBy=multi-user.target
`;

/** The API server's manifest with kubespray's external etcd (kubeadm-config's etcd.external): node-<host>.pem, ca.pem, the etcd-certs-0 mount. */
function pointApiserverAtEtcd(root: string, self: EtcdHost): void {
  const file = join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml');
  const pod = parse(readFileSync(file, 'utf8'));
  const container = pod.spec.containers[0];
  const ssl = `/${ETCD_SSL}`;
  const etcd: Record<string, string> = {
    '--etcd-cafile': `${ssl}/ca.pem`,
    '--etcd-certfile': `${ssl}/node-${self.name}.pem`,
    '--etcd-keyfile': `${ssl}/node-${self.name}-key.pem`,
    '--etcd-servers': `https://${self.ip}:2379`,
  };
  container.command = container.command.map((word: string) => {
    const flag = word.split('=')[0];
    return etcd[flag] ? `${flag}=${etcd[flag]}` : word;
  });
  container.volumeMounts.push({ mountPath: ssl, name: 'etcd-certs-0', readOnly: true });
  pod.spec.volumes.push({ hostPath: { path: ssl, type: 'DirectoryOrCreate' }, name: 'etcd-certs-0' });
  writeFileSync(file, toYaml(pod));
}

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(root, join(dir, e.name)) : [relative(root, join(dir, e.name))]));
}

/**
 * A kubespray control-plane node (node1, also an etcd member) under root: kubeadm's node with its PKI moved to /etc/kubernetes/ssl,
 * no stacked etcd (kubespray's default etcd_deployment_type host), and etcd's files as kubespray writes them.
 */
export function makeKubesprayNode(root: string, hosts: EtcdHost[] = KUBESPRAY_HOSTS): FixtureTree {
  const self = hosts[0];
  makeKubeadmNode(root, { nodeName: self.name, advertiseAddress: self.ip, serviceCidr: '10.233.0.0/18' });
  renameSync(join(root, 'etc/kubernetes/pki'), join(root, KUBE_SSL));
  for (const gone of ['etcd', 'apiserver-etcd-client.crt', 'apiserver-etcd-client.key']) rmSync(join(root, KUBE_SSL, gone), { recursive: true });
  rmSync(join(root, 'etc/kubernetes/manifests/etcd.yaml'));
  for (const file of ['etc/kubernetes/manifests/kube-apiserver.yaml', 'etc/kubernetes/manifests/kube-controller-manager.yaml', 'var/lib/kubelet/config.yaml']) {
    const path = join(root, file);
    writeFileSync(path, readFileSync(path, 'utf8').replaceAll('/etc/kubernetes/pki', '/etc/kubernetes/ssl'));
  }
  pointApiserverAtEtcd(root, self);
  const tree = new Tree(root);
  writeEtcdPki(tree, hosts);
  tree.write('etc/etcd.env', etcdEnv(self, hosts), 0o640);
  tree.write('etc/systemd/system/etcd.service', ETCD_SERVICE);
  return { root, files: listFiles(root).sort() };
}
