import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { OpensslWorkspace, openssl } from './openssl';

export interface KubeadmNodeOptions {
  /** Default 'cp-1'. */
  nodeName?: string;
  /** Default '192.168.10.10'. */
  advertiseAddress?: string;
  /** Default '10.96.0.0/12'; with a dual-stack list kubeadm uses the first CIDR. */
  serviceCidr?: string;
  /** Default 'cluster.local'. */
  dnsDomain?: string;
  /** Leaf validity in days, default 365 (kubeadm's CertificateValidityPeriod). */
  days?: number;
}

export interface FixtureTree {
  /** Absolute directory that stands for / of the node. */
  root: string;
  /** Relative paths written (files and symlinks), '/'-separated, sorted. */
  files: string[];
}

const CA_EXTENSIONS = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign'];
const CA_DAYS = 3650;
const K8S_VERSION = 'v1.30.4';
const ETCD_IMAGE = 'registry.k8s.io/etcd:3.5.12-0';
// The kubelet names this file after the time it wrote it; a fixed stamp keeps the file list deterministic.
const KUBELET_CLIENT_PEM = 'kubelet-client-2025-01-01-00-00-00.pem';

function leafExtensions(eku: string, sans: string[] = [], keyUsage = 'digitalSignature,keyEncipherment'): string[] {
  return [
    'basicConstraints=critical,CA:FALSE',
    `keyUsage=critical,${keyUsage}`,
    `extendedKeyUsage=${eku}`,
    'authorityKeyIdentifier=keyid',
    ...(sans.length ? [`subjectAltName=${sans.join(',')}`] : []),
  ];
}

/** Collects what is written under root, with the file modes kubeadm and kubectl use. */
class Tree {
  private readonly written = new Set<string>();
  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  write(rel: string, text: string, mode = 0o644): void {
    const file = join(this.root, rel);
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
    writeFileSync(file, text);
    // writeFileSync's mode only applies to new files and is filtered by the umask; tests check exact modes.
    chmodSync(file, mode);
    this.written.add(rel);
  }

  secret(rel: string, text: string): void {
    this.write(rel, text, 0o600);
  }

  symlink(rel: string, target: string): void {
    const file = join(this.root, rel);
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
    symlinkSync(target, file);
    this.written.add(rel);
  }

  result(): FixtureTree {
    return { root: this.root, files: [...this.written].sort() };
  }
}

/** YAML the way Go's sigs.k8s.io/yaml prints it: sorted keys, sequences not indented under their key. */
function toYaml(value: unknown): string {
  return stringify(value, { sortMapEntries: true, indentSeq: false, lineWidth: 0, minContentWidth: 0 });
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function kubeconfig(cluster: string, server: string, caPem: string, user: string, certPem: string, keyPem: string, context = `${user}@${cluster}`): string {
  return toYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { 'certificate-authority-data': b64(caPem), server } }],
    contexts: [{ name: context, context: { cluster, user } }],
    'current-context': context,
    preferences: {},
    users: [{ name: user, user: { 'client-certificate-data': b64(certPem), 'client-key-data': b64(keyPem) } }],
  });
}

// --- IP arithmetic, for the service CIDR's first address (apiserver SAN) and tenth (cluster DNS) ---

function parseIp(text: string): { v6: boolean; value: bigint } {
  if (!text.includes(':')) {
    const parts = text.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`bad IPv4 address ${text}`);
    return { v6: false, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const groups = (s: string | undefined): string[] => (s ? s.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  if (all.length !== 8) throw new Error(`bad IPv6 address ${text}`);
  return { v6: true, value: all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

function formatIp(v6: boolean, value: bigint): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The n-th address of a CIDR, as kubeadm's GetAPIServerVirtualIP (n=1) and GetDNSIP (n=10) compute it. */
function nthAddress(cidr: string, n: number): string {
  const first = cidr.split(',')[0]!.trim();
  const [address, prefixText] = first.split('/') as [string, string | undefined];
  const { v6, value } = parseIp(address);
  const bits = v6 ? 128n : 32n;
  const prefix = BigInt(prefixText ?? bits);
  const mask = ((1n << bits) - 1n) ^ ((1n << (bits - prefix)) - 1n);
  return formatIp(v6, (value & mask) + BigInt(n));
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

// --- kubeadm static Pods ---

interface Volume {
  name: string;
  hostPath: string;
  mountPath?: string;
  type: 'DirectoryOrCreate' | 'FileOrCreate';
  readOnly?: boolean;
}

function httpProbe(host: string, path: string, port: number, scheme: 'HTTP' | 'HTTPS', failureThreshold: number, extra: Record<string, number> = { initialDelaySeconds: 10, periodSeconds: 10 }): unknown {
  return { failureThreshold, httpGet: { host, path, port, scheme }, ...extra, timeoutSeconds: 15 };
}

function staticPod(spec: {
  name: string;
  annotations?: Record<string, string>;
  image: string;
  command: string[];
  volumes: Volume[];
  requests: Record<string, string>;
  liveness?: unknown;
  readiness?: unknown;
  startup?: unknown;
}): string {
  const container: Record<string, unknown> = {
    command: spec.command,
    image: spec.image,
    imagePullPolicy: 'IfNotPresent',
    name: spec.name,
    resources: { requests: spec.requests },
    volumeMounts: spec.volumes.map((v) => ({ mountPath: v.mountPath ?? v.hostPath, name: v.name, ...(v.readOnly ? { readOnly: true } : {}) })),
  };
  if (spec.liveness) container.livenessProbe = spec.liveness;
  if (spec.readiness) container.readinessProbe = spec.readiness;
  if (spec.startup) container.startupProbe = spec.startup;
  return toYaml({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(spec.annotations ? { annotations: spec.annotations } : {}),
      creationTimestamp: null,
      labels: { component: spec.name, tier: 'control-plane' },
      name: spec.name,
      namespace: 'kube-system',
    },
    spec: {
      containers: [container],
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      volumes: [...spec.volumes].sort((a, b) => (a.name < b.name ? -1 : 1)).map((v) => ({ hostPath: { path: v.hostPath, type: v.type }, name: v.name })),
    },
    status: {},
  });
}

/** What a kubeadm node's files are made from. */
interface KubeadmFacts {
  node: string;
  adv: string;
  serviceCidr: string;
  dnsDomain: string;
  days: number;
  apiServer: string;
}

const PKI_DIR = '/etc/kubernetes/pki';
const MANIFESTS = 'etc/kubernetes/manifests';
const CA_CERTS: Volume = { name: 'ca-certs', hostPath: '/etc/ssl/certs', type: 'DirectoryOrCreate', readOnly: true };
const K8S_CERTS: Volume = { name: 'k8s-certs', hostPath: PKI_DIR, type: 'DirectoryOrCreate', readOnly: true };

/** The three CAs, their leaves and the service-account key, made by openssl in the flat workspace. */
function issueKubeadmPki(ws: OpensslWorkspace, facts: KubeadmFacts): void {
  const { node, adv, serviceCidr, dnsDomain, days } = facts;
  // The workspace is flat, so etcd's files get an "etcd-" prefix there and move under pki/etcd/ below.
  ws.ca('ca', '/CN=kubernetes', { days: CA_DAYS, extra: [...CA_EXTENSIONS, 'subjectAltName=DNS:kubernetes'] });
  ws.ca('front-proxy-ca', '/CN=front-proxy-ca', { days: CA_DAYS, extra: [...CA_EXTENSIONS, 'subjectAltName=DNS:front-proxy-ca'] });
  ws.ca('etcd-ca', '/CN=etcd-ca', { days: CA_DAYS, extra: [...CA_EXTENSIONS, 'subjectAltName=DNS:etcd-ca'] });
  const apiserverSans = [
    `DNS:${node}`,
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    `DNS:kubernetes.default.svc.${dnsDomain}`,
    `IP:${nthAddress(serviceCidr, 1)}`,
    `IP:${adv}`,
  ];
  const etcdSans = [`DNS:${node}`, 'DNS:localhost', `IP:${adv}`, 'IP:127.0.0.1', 'IP:::1'];
  ws.signed('apiserver', '/CN=kube-apiserver', 'ca', leafExtensions('serverAuth', apiserverSans), { days });
  ws.signed('apiserver-kubelet-client', '/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client', 'ca', leafExtensions('clientAuth'), { days });
  ws.signed('front-proxy-client', '/CN=front-proxy-client', 'front-proxy-ca', leafExtensions('clientAuth'), { days });
  ws.signed('etcd-server', `/CN=${node}`, 'etcd-ca', leafExtensions('serverAuth,clientAuth', etcdSans), { days });
  ws.signed('etcd-peer', `/CN=${node}`, 'etcd-ca', leafExtensions('serverAuth,clientAuth', etcdSans), { days });
  ws.signed('etcd-healthcheck-client', '/CN=kube-etcd-healthcheck-client', 'etcd-ca', leafExtensions('clientAuth'), { days });
  ws.signed('apiserver-etcd-client', '/CN=kube-apiserver-etcd-client', 'etcd-ca', leafExtensions('clientAuth'), { days });
  ws.rsaKey('sa.key');
  ws.write('sa.pub', openssl(['rsa', '-in', ws.path('sa.key'), '-pubout']));
}

/** pki/ as kubeadm lays it out, etcd's files under pki/etcd/. */
function writeKubeadmPki(tree: Tree, ws: OpensslWorkspace): void {
  const pki = 'etc/kubernetes/pki';
  for (const name of ['ca', 'front-proxy-ca', 'apiserver', 'apiserver-kubelet-client', 'front-proxy-client', 'apiserver-etcd-client']) {
    tree.write(`${pki}/${name}.crt`, ws.read(`${name}.crt`));
    tree.secret(`${pki}/${name}.key`, ws.read(`${name}.key`));
  }
  for (const name of ['ca', 'server', 'peer', 'healthcheck-client']) {
    tree.write(`${pki}/etcd/${name}.crt`, ws.read(`etcd-${name}.crt`));
    tree.secret(`${pki}/etcd/${name}.key`, ws.read(`etcd-${name}.key`));
  }
  tree.secret(`${pki}/sa.key`, ws.read('sa.key'));
  tree.write(`${pki}/sa.pub`, ws.read('sa.pub'));
}

/** The kubeconfigs kubeadm writes, and the kubelet's, which points at its rotated PEM. */
function writeKubeadmKubeconfigs(tree: Tree, ws: OpensslWorkspace, facts: KubeadmFacts): void {
  const { node, days, apiServer } = facts;
  // kubeconfigs: kubeadm embeds everything and writes them 0600 because they hold keys.
  const caPem = ws.read('ca.crt');
  const confs: [file: string, user: string, subject: string][] = [
    ['admin.conf', 'kubernetes-admin', '/O=kubeadm:cluster-admins/CN=kubernetes-admin'],
    ['super-admin.conf', 'kubernetes-super-admin', '/O=system:masters/CN=kubernetes-super-admin'],
    ['controller-manager.conf', 'system:kube-controller-manager', '/CN=system:kube-controller-manager'],
    ['scheduler.conf', 'system:kube-scheduler', '/CN=system:kube-scheduler'],
  ];
  for (const [file, user, subject] of confs) {
    const name = file.replace('.conf', '-conf');
    ws.signed(name, subject, 'ca', leafExtensions('clientAuth'), { days });
    tree.secret(`etc/kubernetes/${file}`, kubeconfig('kubernetes', apiServer, caPem, user, ws.read(`${name}.crt`), ws.read(`${name}.key`)));
  }
  // kubeadm's kubelet-finalize phase repoints kubelet.conf at the rotated PEM instead of an embedded client cert.
  const nodeUser = `system:node:${node}`;
  const currentPem = `/var/lib/kubelet/pki/kubelet-client-current.pem`;
  tree.secret(
    'etc/kubernetes/kubelet.conf',
    toYaml({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'kubernetes', cluster: { 'certificate-authority-data': b64(caPem), server: apiServer } }],
      contexts: [{ name: `${nodeUser}@kubernetes`, context: { cluster: 'kubernetes', user: nodeUser } }],
      'current-context': `${nodeUser}@kubernetes`,
      preferences: {},
      users: [{ name: nodeUser, user: { 'client-certificate': currentPem, 'client-key': currentPem } }],
    }),
  );
}

/** The kubelet's client PEM (with its -current link) and its self-made serving certificate. */
function writeKubeletPki(tree: Tree, ws: OpensslWorkspace, facts: KubeadmFacts): void {
  const { node, days } = facts;
  const nodeUser = `system:node:${node}`;
  // The kubelet's own client key is ECDSA P-256 (its certificate manager generates it), so the signer only grants digitalSignature.
  ws.ecKey('kubelet-client.key');
  ws.signed('kubelet-client', `/O=system:nodes/CN=${nodeUser}`, 'ca', leafExtensions('clientAuth', [], 'digitalSignature'), { days, key: ws.path('kubelet-client.key') });
  tree.secret(`var/lib/kubelet/pki/${KUBELET_CLIENT_PEM}`, ws.read('kubelet-client.crt') + ws.read('kubelet-client.key'));
  // The kubelet links with an absolute target; a relative one resolves inside the fixture root instead of on the host.
  tree.symlink('var/lib/kubelet/pki/kubelet-client-current.pem', KUBELET_CLIENT_PEM);

  // Without tlsCertFile the kubelet makes a throwaway CA and a serving leaf, and writes leaf then CA into kubelet.crt.
  const now = Math.floor(Date.now() / 1000);
  ws.ca('kubelet-ca', `/CN=${node}-ca@${now}`, { days: 365, extra: CA_EXTENSIONS });
  ws.signed('kubelet', `/CN=${node}@${now}`, 'kubelet-ca', ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth', `subjectAltName=DNS:${node}`], { days: 365 });
  tree.write('var/lib/kubelet/pki/kubelet.crt', ws.read('kubelet.crt') + ws.read('kubelet-ca.crt'));
  tree.secret('var/lib/kubelet/pki/kubelet.key', ws.read('kubelet.key'));
}

/** KubeletConfiguration, kubeadm-flags.env and etc/hostname. */
function writeKubeletConfig(tree: Tree, facts: KubeadmFacts): void {
  const { node, serviceCidr, dnsDomain } = facts;
  tree.write(
    'var/lib/kubelet/config.yaml',
    toYaml({
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      authentication: { anonymous: { enabled: false }, webhook: { cacheTTL: '0s', enabled: true }, x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' } },
      authorization: { mode: 'Webhook', webhook: { cacheAuthorizedTTL: '0s', cacheUnauthorizedTTL: '0s' } },
      cgroupDriver: 'systemd',
      clusterDNS: [nthAddress(serviceCidr, 10)],
      clusterDomain: dnsDomain,
      containerRuntimeEndpoint: '',
      healthzBindAddress: '127.0.0.1',
      healthzPort: 10248,
      rotateCertificates: true,
      staticPodPath: '/etc/kubernetes/manifests',
    }),
  );
  tree.write('var/lib/kubelet/kubeadm-flags.env', 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10"\n');
  tree.write('etc/hostname', `${node}\n`);
}

/** kube-apiserver's static Pod. */
function writeApiserverManifest(tree: Tree, facts: KubeadmFacts): void {
  const { adv, serviceCidr, dnsDomain } = facts;
  tree.write(
    `${MANIFESTS}/kube-apiserver.yaml`,
    staticPod({
      name: 'kube-apiserver',
      annotations: { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': hostPort(adv, 6443) },
      image: `registry.k8s.io/kube-apiserver:${K8S_VERSION}`,
      command: [
        'kube-apiserver',
        `--advertise-address=${adv}`,
        '--allow-privileged=true',
        '--authorization-mode=Node,RBAC',
        `--client-ca-file=${PKI_DIR}/ca.crt`,
        '--enable-admission-plugins=NodeRestriction',
        '--enable-bootstrap-token-auth=true',
        `--etcd-cafile=${PKI_DIR}/etcd/ca.crt`,
        `--etcd-certfile=${PKI_DIR}/apiserver-etcd-client.crt`,
        `--etcd-keyfile=${PKI_DIR}/apiserver-etcd-client.key`,
        '--etcd-servers=https://127.0.0.1:2379',
        `--kubelet-client-certificate=${PKI_DIR}/apiserver-kubelet-client.crt`,
        `--kubelet-client-key=${PKI_DIR}/apiserver-kubelet-client.key`,
        '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
        `--proxy-client-cert-file=${PKI_DIR}/front-proxy-client.crt`,
        `--proxy-client-key-file=${PKI_DIR}/front-proxy-client.key`,
        '--requestheader-allowed-names=front-proxy-client',
        `--requestheader-client-ca-file=${PKI_DIR}/front-proxy-ca.crt`,
        '--requestheader-extra-headers-prefix=X-Remote-Extra-',
        '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-username-headers=X-Remote-User',
        '--secure-port=6443',
        `--service-account-issuer=https://kubernetes.default.svc.${dnsDomain}`,
        `--service-account-key-file=${PKI_DIR}/sa.pub`,
        `--service-account-signing-key-file=${PKI_DIR}/sa.key`,
        `--service-cluster-ip-range=${serviceCidr}`,
        `--tls-cert-file=${PKI_DIR}/apiserver.crt`,
        `--tls-private-key-file=${PKI_DIR}/apiserver.key`,
      ],
      volumes: [CA_CERTS, K8S_CERTS],
      requests: { cpu: '250m' },
      liveness: httpProbe(adv, '/livez', 6443, 'HTTPS', 8),
      readiness: httpProbe(adv, '/readyz', 6443, 'HTTPS', 3, { periodSeconds: 1 }),
      startup: httpProbe(adv, '/livez', 6443, 'HTTPS', 24),
    }),
  );
}

/** kube-controller-manager's static Pod. */
function writeControllerManagerManifest(tree: Tree, facts: KubeadmFacts): void {
  const { serviceCidr } = facts;
  const cmConf = '/etc/kubernetes/controller-manager.conf';
  tree.write(
    `${MANIFESTS}/kube-controller-manager.yaml`,
    staticPod({
      name: 'kube-controller-manager',
      image: `registry.k8s.io/kube-controller-manager:${K8S_VERSION}`,
      command: [
        'kube-controller-manager',
        `--authentication-kubeconfig=${cmConf}`,
        `--authorization-kubeconfig=${cmConf}`,
        '--bind-address=127.0.0.1',
        `--client-ca-file=${PKI_DIR}/ca.crt`,
        '--cluster-name=kubernetes',
        `--cluster-signing-cert-file=${PKI_DIR}/ca.crt`,
        `--cluster-signing-key-file=${PKI_DIR}/ca.key`,
        '--controllers=*,bootstrapsigner,tokencleaner',
        `--kubeconfig=${cmConf}`,
        '--leader-elect=true',
        `--requestheader-client-ca-file=${PKI_DIR}/front-proxy-ca.crt`,
        `--root-ca-file=${PKI_DIR}/ca.crt`,
        `--service-account-private-key-file=${PKI_DIR}/sa.key`,
        `--service-cluster-ip-range=${serviceCidr}`,
        '--use-service-account-credentials=true',
      ],
      volumes: [
        CA_CERTS,
        { name: 'flexvolume-dir', hostPath: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', type: 'DirectoryOrCreate' },
        K8S_CERTS,
        { name: 'kubeconfig', hostPath: cmConf, type: 'FileOrCreate', readOnly: true },
      ],
      requests: { cpu: '200m' },
      liveness: httpProbe('127.0.0.1', '/healthz', 10257, 'HTTPS', 8),
      startup: httpProbe('127.0.0.1', '/healthz', 10257, 'HTTPS', 24),
    }),
  );
}

/** kube-scheduler's static Pod. */
function writeSchedulerManifest(tree: Tree): void {
  const schedConf = '/etc/kubernetes/scheduler.conf';
  tree.write(
    `${MANIFESTS}/kube-scheduler.yaml`,
    staticPod({
      name: 'kube-scheduler',
      image: `registry.k8s.io/kube-scheduler:${K8S_VERSION}`,
      command: ['kube-scheduler', `--authentication-kubeconfig=${schedConf}`, `--authorization-kubeconfig=${schedConf}`, '--bind-address=127.0.0.1', `--kubeconfig=${schedConf}`, '--leader-elect=true'],
      volumes: [{ name: 'kubeconfig', hostPath: schedConf, type: 'FileOrCreate', readOnly: true }],
      requests: { cpu: '100m' },
      liveness: httpProbe('127.0.0.1', '/healthz', 10259, 'HTTPS', 8),
      startup: httpProbe('127.0.0.1', '/healthz', 10259, 'HTTPS', 24),
    }),
  );
}

/** etcd's static Pod. */
function writeEtcdManifest(tree: Tree, facts: KubeadmFacts): void {
  const { node, adv } = facts;
  const etcdDir = `${PKI_DIR}/etcd`;
  const clientUrl = `https://${hostPort(adv, 2379)}`;
  const peerUrl = `https://${hostPort(adv, 2380)}`;
  tree.write(
    `${MANIFESTS}/etcd.yaml`,
    staticPod({
      name: 'etcd',
      annotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': clientUrl },
      image: ETCD_IMAGE,
      command: [
        'etcd',
        `--advertise-client-urls=${clientUrl}`,
        `--cert-file=${etcdDir}/server.crt`,
        '--client-cert-auth=true',
        '--data-dir=/var/lib/etcd',
        '--experimental-initial-corrupt-check=true',
        '--experimental-watch-progress-notify-interval=5s',
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=${node}=${peerUrl}`,
        `--key-file=${etcdDir}/server.key`,
        `--listen-client-urls=https://127.0.0.1:2379,${clientUrl}`,
        '--listen-metrics-urls=http://127.0.0.1:2381',
        `--listen-peer-urls=${peerUrl}`,
        `--name=${node}`,
        `--peer-cert-file=${etcdDir}/peer.crt`,
        '--peer-client-cert-auth=true',
        `--peer-key-file=${etcdDir}/peer.key`,
        `--peer-trusted-ca-file=${etcdDir}/ca.crt`,
        '--snapshot-count=10000',
        `--trusted-ca-file=${etcdDir}/ca.crt`,
      ],
      volumes: [
        { name: 'etcd-data', hostPath: '/var/lib/etcd', type: 'DirectoryOrCreate' },
        { name: 'etcd-certs', hostPath: etcdDir, type: 'DirectoryOrCreate' },
      ],
      requests: { cpu: '100m', memory: '100Mi' },
      liveness: httpProbe('127.0.0.1', '/health?exclude=NOSPACE&serializable=true', 2381, 'HTTP', 8),
      startup: httpProbe('127.0.0.1', '/health?serializable=false', 2381, 'HTTP', 24),
    }),
  );
}

/**
 * A clean kubeadm (v1.30+) control-plane node under `root`: the PKI, kubeconfigs, static Pod manifests and
 * kubelet state that `kubeadm init` leaves behind, with every trust edge consistent.
 */
export function makeKubeadmNode(root: string, options: KubeadmNodeOptions = {}): FixtureTree {
  const adv = options.advertiseAddress ?? '192.168.10.10';
  const facts: KubeadmFacts = {
    node: options.nodeName ?? 'cp-1',
    adv,
    serviceCidr: options.serviceCidr ?? '10.96.0.0/12',
    dnsDomain: options.dnsDomain ?? 'cluster.local',
    days: options.days ?? 365,
    apiServer: `https://${hostPort(adv, 6443)}`,
  };
  const tree = new Tree(root);
  const ws = new OpensslWorkspace();
  try {
    issueKubeadmPki(ws, facts);
    writeKubeadmPki(tree, ws);
    writeKubeadmKubeconfigs(tree, ws, facts);
    writeKubeletPki(tree, ws, facts);
  } finally {
    ws.dispose();
  }
  writeKubeletConfig(tree, facts);
  writeApiserverManifest(tree, facts);
  writeControllerManagerManifest(tree, facts);
  writeSchedulerManifest(tree);
  writeEtcdManifest(tree, facts);
  return tree.result();
}

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
