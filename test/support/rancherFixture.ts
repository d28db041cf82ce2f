// k3s and RKE2 nodes as their supervisors write them (k3s pkg/daemons/control/deps/deps.go, pkg/agent/config/config.go):
// server/tls with five CAs named <p>-<what>-ca@<unix>, ECDSA keys, every issued certificate followed by its CA, kubeconfigs
// that name files by path, and the agent's kubelet and kube-proxy credentials.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FixtureTree, leafExtensions, staticPod, Tree, toYaml, Volume } from './fixtureParts';
import { OpensslWorkspace } from './openssl';

export type RancherProgram = 'k3s' | 'rke2';

export interface RancherNodeOptions {
  program?: RancherProgram;
  nodeName?: string;
  nodeIp?: string;
  /** /etc/rancher/<p>/config.yaml tls-san: names the serving certificate carries. */
  tlsSans?: string[];
  /** /etc/rancher/<p>/config.yaml service-cidr (`v4,v6` when dual-stack) and the kubernetes service IP it gives (its first range's first IP). */
  serviceCidr?: { cidr: string; serviceIp: string };
  /** Agent-only nodes joined to this server, each written under its own root. */
  agents?: Array<{ root: string; nodeName: string; nodeIp: string }>;
}

const CA_EXTS = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign'];
// The CAs' creation time, as the supervisor writes it into their CNs.
const UNIX = 1735689600;

/** The data dir of a program, relative to the node's /. */
export const dataDir = (p: RancherProgram) => `var/lib/rancher/${p}`;

/** A kubeconfig as deps.KubeConfig writes it: certificate-authority and client files by path. */
function rancherKubeconfig(server: string, ca: string, cert: string, key: string): string {
  return toYaml({
    apiVersion: 'v1',
    clusters: [{ cluster: { server, 'certificate-authority': ca }, name: 'local' }],
    contexts: [{ context: { cluster: 'local', namespace: 'default', user: 'user' }, name: 'Default' }],
    'current-context': 'Default',
    kind: 'Config',
    preferences: {},
    users: [{ name: 'user', user: { 'client-certificate': cert, 'client-key': key } }],
  });
}

class RancherPki {
  private readonly ws = new OpensslWorkspace();
  constructor(
    readonly tree: Tree,
    private readonly tls: string,
  ) {}

  ca(rel: string, cn: string): void {
    const key = this.ws.ecKey(`${this.id(rel)}.key`);
    this.ws.ca(this.id(rel), `/CN=${cn}`, { key, extra: CA_EXTS });
    this.tree.write(`${this.tls}/${rel}.crt`, this.ws.read(`${this.id(rel)}.crt`));
    this.tree.secret(`${this.tls}/${rel}.key`, this.ws.read(`${this.id(rel)}.key`));
  }

  /** A leaf signed by the CA at `ca`, written with that CA appended (certutil's chain), its key 0600. */
  leaf(rel: string, ca: string, subject: string, eku: string, sans: string[] = [], at = this.tls): void {
    const key = this.ws.ecKey(`${this.id(rel)}.key`);
    this.ws.signed(this.id(rel), subject, this.id(ca), leafExtensions(eku, sans, 'digitalSignature'), { key });
    this.tree.write(`${at}/${rel}.crt`, this.ws.read(`${this.id(rel)}.crt`) + this.ws.read(`${this.id(ca)}.crt`));
    this.tree.secret(`${at}/${rel}.key`, this.ws.read(`${this.id(rel)}.key`));
  }

  /** The same CAs, writing into another node's tree (an agent). */
  on(tree: Tree): RancherPki {
    return Object.assign(Object.create(RancherPki.prototype), this, { tree });
  }

  caPem(rel: string): string {
    return this.ws.read(`${this.id(rel)}.crt`);
  }

  private id(rel: string): string {
    return rel.replaceAll('/', '_');
  }

  dispose(): void {
    this.ws.dispose();
  }
}

function writeServer(tree: Tree, pki: RancherPki, p: RancherProgram, options: RancherNodeOptions & Omit<Required<RancherNodeOptions>, 'serviceCidr'>): void {
  const dir = dataDir(p);
  const tls = `${dir}/server/tls`;
  pki.ca('client-ca', `${p}-client-ca@${UNIX}`);
  pki.ca('server-ca', `${p}-server-ca@${UNIX}`);
  pki.ca('request-header-ca', `${p}-request-header-ca@${UNIX}`);
  pki.ca('etcd/server-ca', `etcd-server-ca@${UNIX}`);
  pki.ca('etcd/peer-ca', `etcd-peer-ca@${UNIX}`);
  tree.write(`${tls}/client-ca.nochain.crt`, pki.caPem('client-ca'));
  tree.write(`${tls}/server-ca.nochain.crt`, pki.caPem('server-ca'));
  const clients: Array<[string, string]> = [
    ['client-admin', '/O=system:masters/CN=system:admin'],
    ['client-supervisor', `/O=system:masters/CN=system:${p}-supervisor`],
    ['client-controller', '/CN=system:kube-controller-manager'],
    ['client-scheduler', '/CN=system:kube-scheduler'],
    ['client-kube-apiserver', '/O=system:masters/CN=system:apiserver'],
    ['client-kube-proxy', '/CN=system:kube-proxy'],
    [`client-${p}-controller`, `/CN=system:${p}-controller`],
    [`client-${p}-cloud-controller`, `/CN=${p}-cloud-controller-manager`],
  ];
  for (const [name, subject] of clients) pki.leaf(name, 'client-ca', subject, 'clientAuth');
  pki.leaf('client-auth-proxy', 'request-header-ca', '/CN=system:auth-proxy', 'clientAuth');
  const domain = 'cluster.local';
  // The supervisor adds the loopbacks, the host name, the node IP and the kubernetes service's IP to tls-san (pkg/cli/server/server.go).
  const serviceIp = options.serviceCidr?.serviceIp ?? '10.43.0.1';
  const local = ['127.0.0.1', '::1', 'localhost', options.nodeName, options.nodeIp, serviceIp];
  const sans = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${domain}`, ...options.tlsSans, ...local];
  pki.leaf('serving-kube-apiserver', 'server-ca', '/CN=kube-apiserver', 'serverAuth', sans.map(san));
  pki.leaf('etcd/client', 'etcd/server-ca', '/CN=etcd-client', 'clientAuth');
  const etcdSans = ['kine.sock', ...options.tlsSans, ...local].map(san);
  pki.leaf('etcd/server-client', 'etcd/server-ca', '/CN=etcd-server', 'serverAuth,clientAuth', etcdSans);
  pki.leaf('etcd/peer-server-client', 'etcd/peer-ca', '/CN=etcd-peer', 'serverAuth,clientAuth', etcdSans);
  // The service account key twice (service.key verifies, service.current.key signs): PKCS#1 and PKCS#8 beside SEC1 leaf keys.
  const ws = new OpensslWorkspace();
  const serviceKey = readFileSync(ws.rsaKey('service.key'), 'utf8');
  tree.secret(`${tls}/service.key`, serviceKey);
  tree.secret(`${tls}/service.current.key`, createPrivateKey(serviceKey).export({ format: 'pem', type: 'pkcs8' }).toString());
  ws.dispose();
  const server = 'https://127.0.0.1:6444';
  const abs = (rel: string) => `/${tls}/${rel}`;
  const creds: Array<[string, string]> = [
    ['admin', 'client-admin'],
    ['supervisor', 'client-supervisor'],
    ['controller', 'client-controller'],
    ['scheduler', 'client-scheduler'],
    ['api-server', 'client-kube-apiserver'],
    ['cloud-controller', `client-${p}-cloud-controller`],
  ];
  for (const [name, cert] of creds)
    tree.secret(`${dir}/server/cred/${name}.kubeconfig`, rancherKubeconfig(server, abs('server-ca.crt'), abs(`${cert}.crt`), abs(`${cert}.key`)));
  const serviceCidr = options.serviceCidr ? { 'service-cidr': options.serviceCidr.cidr } : {};
  tree.write(`etc/rancher/${p}/config.yaml`, toYaml({ 'tls-san': options.tlsSans, 'node-ip': options.nodeIp, ...serviceCidr }));
}

function san(name: string): string {
  return /^[0-9.]+$/.test(name) || name.includes(':') ? `IP:${name}` : `DNS:${name}`;
}

/** The agent's credentials: the supervisor signs them for the node, the agent writes them with the CA appended. */
function writeAgent(tree: Tree, pki: RancherPki, p: RancherProgram, options: { nodeName: string; nodeIp: string }): void {
  const agent = `${dataDir(p)}/agent`;
  tree.write(`${agent}/client-ca.crt`, pki.caPem('client-ca'));
  tree.write(`${agent}/server-ca.crt`, pki.caPem('server-ca'));
  const node = options.nodeName;
  pki.leaf('client-kubelet', 'client-ca', `/O=system:nodes/CN=system:node:${node}`, 'clientAuth', [], agent);
  pki.leaf('serving-kubelet', 'server-ca', `/CN=${node}`, 'serverAuth', [`DNS:${node}`, 'DNS:localhost', `IP:${options.nodeIp}`, 'IP:127.0.0.1'], agent);
  pki.leaf('client-kube-proxy', 'client-ca', '/CN=system:kube-proxy', 'clientAuth', [], agent);
  pki.leaf(`client-${p}-controller`, 'client-ca', `/CN=system:${p}-controller`, 'clientAuth', [], agent);
  const server = 'https://127.0.0.1:6443';
  const kc = (name: string, cert: string) =>
    tree.secret(`${agent}/${name}.kubeconfig`, rancherKubeconfig(server, `/${agent}/server-ca.crt`, `/${agent}/${cert}.crt`, `/${agent}/${cert}.key`));
  kc('kubelet', 'client-kubelet');
  kc('kubeproxy', 'client-kube-proxy');
  kc(`${p}controller`, `client-${p}-controller`);
}

/** RKE2's control plane as the static pods it writes to agent/pod-manifests (flags naming server/tls; etcd reads server/db/etcd/config). */
function writeRke2Pods(tree: Tree, nodeIp: string): void {
  const tls = '/var/lib/rancher/rke2/server/tls';
  const volumes: Volume[] = [
    { name: 'dir0', hostPath: tls, type: 'DirectoryOrCreate' },
    { name: 'dir1', hostPath: '/var/lib/rancher/rke2/server/cred', type: 'DirectoryOrCreate' },
    { name: 'dir2', hostPath: '/var/lib/rancher/rke2/server/db/etcd', type: 'DirectoryOrCreate' },
  ];
  const pod = (name: string, command: string[]) =>
    tree.write(
      `${dataDir('rke2')}/agent/pod-manifests/${name}.yaml`,
      staticPod({ name, image: `index.docker.io/rancher/hardened-${name}`, command, volumes, requests: { cpu: '100m' } }),
    );
  pod('kube-apiserver', [
    'kube-apiserver',
    `--advertise-address=${nodeIp}`,
    `--cert-dir=${tls}/temporary-certs`,
    `--client-ca-file=${tls}/client-ca.crt`,
    `--etcd-cafile=${tls}/etcd/server-ca.crt`,
    `--etcd-certfile=${tls}/etcd/client.crt`,
    `--etcd-keyfile=${tls}/etcd/client.key`,
    '--etcd-servers=https://127.0.0.1:2379',
    `--kubelet-certificate-authority=${tls}/server-ca.crt`,
    `--kubelet-client-certificate=${tls}/client-kube-apiserver.crt`,
    `--kubelet-client-key=${tls}/client-kube-apiserver.key`,
    `--proxy-client-cert-file=${tls}/client-auth-proxy.crt`,
    `--proxy-client-key-file=${tls}/client-auth-proxy.key`,
    '--requestheader-allowed-names=system:auth-proxy',
    `--requestheader-client-ca-file=${tls}/request-header-ca.crt`,
    `--service-account-key-file=${tls}/service.key`,
    `--service-account-signing-key-file=${tls}/service.current.key`,
    '--service-cluster-ip-range=10.43.0.0/16',
    `--tls-cert-file=${tls}/serving-kube-apiserver.crt`,
    `--tls-private-key-file=${tls}/serving-kube-apiserver.key`,
  ]);
  pod('kube-controller-manager', [
    'kube-controller-manager',
    '--kubeconfig=/var/lib/rancher/rke2/server/cred/controller.kubeconfig',
    `--root-ca-file=${tls}/server-ca.crt`,
    `--service-account-private-key-file=${tls}/service.current.key`,
  ]);
  pod('kube-scheduler', ['kube-scheduler', '--kubeconfig=/var/lib/rancher/rke2/server/cred/scheduler.kubeconfig']);
  pod('etcd', ['etcd', '--config-file=/var/lib/rancher/rke2/server/db/etcd/config']);
  const etcd = (cert: string, key: string, ca: string) => ({ 'cert-file': cert, 'key-file': key, 'trusted-ca-file': ca, 'client-cert-auth': true });
  tree.secret(
    `${dataDir('rke2')}/server/db/etcd/config`,
    toYaml({
      'advertise-client-urls': `https://${nodeIp}:2379`,
      'client-transport-security': etcd(`${tls}/etcd/server-client.crt`, `${tls}/etcd/server-client.key`, `${tls}/etcd/server-ca.crt`),
      'data-dir': '/var/lib/rancher/rke2/server/db/etcd',
      'listen-client-urls': `https://127.0.0.1:2379,https://${nodeIp}:2379`,
      name: 'server-1',
      'peer-transport-security': etcd(`${tls}/etcd/peer-server-client.crt`, `${tls}/etcd/peer-server-client.key`, `${tls}/etcd/peer-ca.crt`),
    }),
  );
}

/** A k3s or RKE2 server node (with its agent: every server runs one) under root. */
export function makeRancherServer(root: string, options: RancherNodeOptions = {}): FixtureTree {
  const full: RancherNodeOptions & Omit<Required<RancherNodeOptions>, 'serviceCidr'> = {
    ...options,
    program: options.program ?? 'k3s',
    nodeName: options.nodeName ?? 'server-1',
    nodeIp: options.nodeIp ?? '192.168.10.20',
    tlsSans: options.tlsSans ?? ['k3s.example.com', '192.168.10.20'],
    agents: options.agents ?? [],
  };
  const tree = new Tree(root);
  const p = full.program;
  const pki = new RancherPki(tree, `${dataDir(p)}/server/tls`);
  try {
    writeServer(tree, pki, p, full);
    writeAgent(tree, pki, p, full);
    if (p === 'rke2') writeRke2Pods(tree, full.nodeIp);
    for (const agent of full.agents) {
      const agentTree = new Tree(agent.root);
      writeAgent(agentTree, pki.on(agentTree), p, agent);
      // An agent joins with the server's address and token; node-name is its kubelet's --hostname-override.
      agentTree.write(
        `etc/rancher/${p}/config.yaml`,
        toYaml({ server: 'https://192.168.10.20:9345', token: 'K10example::server:secret', 'node-name': agent.nodeName }),
      );
    }
  } finally {
    pki.dispose();
  }
  return tree.result();
}
