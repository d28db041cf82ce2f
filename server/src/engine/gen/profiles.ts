import { firstIpOf, urlHost } from '../kube/addresses';
import type { Usage } from './issue';
import type { KeyType } from './keys';

/** A CA certificate's key file, by kubeadm's and the seeds' naming (ca.crt -> ca.key). */
export function keyPathFor(certPath: string): string {
  return certPath.replace(/\.(crt|pem|cer)$/, '') + '.key';
}

/** What the generator needs to know about the node and cluster; every SAN derives from it. */
export interface ClusterParams {
  nodeName: string;
  advertiseAddress: string;
  serviceCidr: string;
  dnsDomain: string;
  /** HOST[:PORT] of a load balancer in front of the API servers (kubeadm controlPlaneEndpoint). */
  controlPlaneEndpoint?: string;
  /** Extra API server SANs (kubeadm apiServer.certSANs, --apiserver-cert-extra-sans). */
  extraSans: string[];
  keyType: KeyType;
  caValidityDays: number;
  validityDays: number;
}

export const DEFAULT_PARAMS: ClusterParams = {
  nodeName: 'control-plane',
  advertiseAddress: '192.168.0.10',
  serviceCidr: '10.96.0.0/12',
  dnsDomain: 'cluster.local',
  extraSans: [],
  keyType: 'RSA-2048',
  caValidityDays: 3650,
  validityDays: 365,
};

/** One certificate kubeadm makes: file, subject, signer, usages, SANs (cmd/kubeadm/app/phases/certs/certlist.go). */
export interface CertProfile {
  name: string;
  /** Path under the PKI folder, without .crt/.key. */
  file: string;
  /** Profile name of the CA that signs it; undefined for self-signed CAs. */
  signer?: string;
  ca: boolean;
  subject: (p: ClusterParams) => Array<[string, string]>;
  usages: Usage[];
  sans: (p: ClusterParams) => string[];
  description: string;
}

export function endpointHost(endpoint: string | undefined): string | undefined {
  return endpoint ? urlHost(endpoint) : undefined;
}

const none = () => [];
const etcdSans = (p: ClusterParams) => [p.nodeName, 'localhost', p.advertiseAddress, '127.0.0.1', '::1'];

export const CERT_PROFILES: readonly CertProfile[] = [
  { name: 'ca', file: 'ca', ca: true, subject: () => [['CN', 'kubernetes']], usages: [], sans: () => ['kubernetes'], description: 'cluster CA' },
  {
    name: 'apiserver',
    file: 'apiserver',
    signer: 'ca',
    ca: false,
    subject: () => [['CN', 'kube-apiserver']],
    usages: ['serverAuth'],
    sans: (p) => [
      p.nodeName,
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      `kubernetes.default.svc.${p.dnsDomain}`,
      ...[firstIpOf(p.serviceCidr), p.advertiseAddress, endpointHost(p.controlPlaneEndpoint)].filter((s): s is string => !!s),
      ...p.extraSans,
    ],
    description: 'API server serving certificate',
  },
  {
    name: 'apiserver-kubelet-client',
    file: 'apiserver-kubelet-client',
    signer: 'ca',
    ca: false,
    subject: () => [
      ['O', 'kubeadm:cluster-admins'],
      ['CN', 'kube-apiserver-kubelet-client'],
    ],
    usages: ['clientAuth'],
    sans: none,
    description: 'API server client certificate for kubelets',
  },
  {
    name: 'front-proxy-ca',
    file: 'front-proxy-ca',
    ca: true,
    subject: () => [['CN', 'front-proxy-ca']],
    usages: [],
    sans: () => ['front-proxy-ca'],
    description: 'front proxy CA',
  },
  {
    name: 'front-proxy-client',
    file: 'front-proxy-client',
    signer: 'front-proxy-ca',
    ca: false,
    subject: () => [['CN', 'front-proxy-client']],
    usages: ['clientAuth'],
    sans: none,
    description: 'front proxy client',
  },
  { name: 'etcd-ca', file: 'etcd/ca', ca: true, subject: () => [['CN', 'etcd-ca']], usages: [], sans: () => ['etcd-ca'], description: 'etcd CA' },
  {
    name: 'etcd-server',
    file: 'etcd/server',
    signer: 'etcd-ca',
    ca: false,
    subject: (p) => [['CN', p.nodeName]],
    usages: ['serverAuth', 'clientAuth'],
    sans: etcdSans,
    description: 'etcd serving certificate',
  },
  {
    name: 'etcd-peer',
    file: 'etcd/peer',
    signer: 'etcd-ca',
    ca: false,
    subject: (p) => [['CN', p.nodeName]],
    usages: ['serverAuth', 'clientAuth'],
    sans: etcdSans,
    description: 'etcd peer certificate',
  },
  {
    name: 'etcd-healthcheck-client',
    file: 'etcd/healthcheck-client',
    signer: 'etcd-ca',
    ca: false,
    subject: () => [['CN', 'kube-etcd-healthcheck-client']],
    usages: ['clientAuth'],
    sans: none,
    description: 'etcd health check client',
  },
  {
    name: 'apiserver-etcd-client',
    file: 'apiserver-etcd-client',
    signer: 'etcd-ca',
    ca: false,
    subject: () => [['CN', 'kube-apiserver-etcd-client']],
    usages: ['clientAuth'],
    sans: none,
    description: 'API server client certificate for etcd',
  },
];

/** The kubeconfigs kubeadm writes under /etc/kubernetes, each with an embedded client certificate signed by the cluster CA. */
export interface KubeconfigProfile {
  name: string;
  file: string;
  user: (p: ClusterParams) => string;
  subject: (p: ClusterParams) => Array<[string, string]>;
  /** Components on the node talk to the local API server; users go through the control-plane endpoint. */
  server: 'endpoint' | 'local';
}

export const KUBECONFIG_PROFILES: readonly KubeconfigProfile[] = [
  {
    name: 'admin',
    file: 'admin.conf',
    user: () => 'kubernetes-admin',
    subject: () => [
      ['O', 'kubeadm:cluster-admins'],
      ['CN', 'kubernetes-admin'],
    ],
    server: 'endpoint',
  },
  {
    name: 'super-admin',
    file: 'super-admin.conf',
    user: () => 'kubernetes-super-admin',
    subject: () => [
      ['O', 'system:masters'],
      ['CN', 'kubernetes-super-admin'],
    ],
    server: 'endpoint',
  },
  {
    name: 'controller-manager',
    file: 'controller-manager.conf',
    user: () => 'system:kube-controller-manager',
    subject: () => [['CN', 'system:kube-controller-manager']],
    server: 'local',
  },
  { name: 'scheduler', file: 'scheduler.conf', user: () => 'system:kube-scheduler', subject: () => [['CN', 'system:kube-scheduler']], server: 'local' },
  {
    name: 'kubelet',
    file: 'kubelet.conf',
    user: (p) => `system:node:${p.nodeName}`,
    subject: (p) => [
      ['O', 'system:nodes'],
      ['CN', `system:node:${p.nodeName}`],
    ],
    server: 'endpoint',
  },
];

/** Client identities that are not kubeadm kubeconfigs but that `gen cert` can make. */
export const EXTRA_CLIENT_PROFILES: readonly CertProfile[] = [
  {
    name: 'kube-proxy',
    file: 'kube-proxy',
    signer: 'ca',
    ca: false,
    subject: () => [['CN', 'system:kube-proxy']],
    usages: ['clientAuth'],
    sans: none,
    description: 'kube-proxy client',
  },
  ...KUBECONFIG_PROFILES.map((k) => ({
    name: k.name,
    file: k.name,
    signer: 'ca',
    ca: false,
    subject: k.subject,
    usages: ['clientAuth'] as Usage[],
    sans: none,
    description: `${k.user({ ...DEFAULT_PARAMS, nodeName: '<node>' })} client`,
  })),
];

/**
 * The lifetime in days of a certificate kube-pki issues again (a renewal, a quick fix's re-issue): its role's
 * profile, as kubeadm's certs renew does (one year for a leaf, ten for a CA), never the old certificate's length.
 */
export function profileLifetimeDays(role: { ca: boolean }): number {
  return role.ca ? DEFAULT_PARAMS.caValidityDays : DEFAULT_PARAMS.validityDays;
}

export function findProfile(name: string): CertProfile | undefined {
  return [...CERT_PROFILES, ...EXTRA_CLIENT_PROFILES].find((p) => p.name === name || p.file === name);
}

export function serverUrl(p: ClusterParams, kind: 'endpoint' | 'local'): string {
  const hostPort = (host: string, port: string) => `https://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
  if (kind === 'endpoint' && p.controlPlaneEndpoint) {
    const host = endpointHost(p.controlPlaneEndpoint)!;
    const port = /:(\d+)$/.exec(p.controlPlaneEndpoint.replace(/^\[[^\]]+\]/, (m) => m.replace(/:/g, '')))?.[1] ?? '6443';
    return hostPort(host, port);
  }
  return hostPort(p.advertiseAddress, '6443');
}
