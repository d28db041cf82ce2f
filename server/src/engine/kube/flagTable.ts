/**
 * The one table of every flag and config field that names a certificate,
 * key, CA bundle or kubeconfig (and the few plain settings the rules need,
 * such as --advertise-address). Extraction, hover, completion and the rules
 * all read it: adding a flag here teaches every feature about it.
 */

export type Component =
  | 'kube-apiserver'
  | 'etcd'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kubelet'
  | 'kube-proxy'
  | 'kubeconfig'
  | 'kubeadm'
  | 'talos'
  | 'talosconfig';

export type Role =
  | 'serving-cert'
  | 'serving-key'
  | 'client-cert'
  | 'client-key'
  /** CA bundle a server uses to verify its clients. */
  | 'client-ca'
  /** CA bundle a client uses to verify its server. */
  | 'server-ca'
  | 'signing-cert'
  | 'signing-key'
  | 'sa-public-key'
  | 'sa-private-key'
  | 'kubeconfig'
  | 'config'
  | 'cert-dir'
  | 'sni-cert-key'
  /** Not a file: a name, address or URL the rules need (server:, --advertise-address...). */
  | 'setting';

export interface FlagSpec {
  component: Component;
  /** "--tls-cert-file", or a dotted field path for config files ("authentication.x509.clientCAFile"). */
  name: string;
  role: Role;
  /** The flag holding the other half of a cert/key pair. */
  pairedWith?: string;
  /** Environment variable form (etcd reads ETCD_CERT_FILE as --cert-file). */
  env?: string;
  description: string;
}

const pair = (component: Component, cert: string, key: string, certRole: Role, keyRole: Role, what: string): FlagSpec[] => [
  { component, name: cert, role: certRole, pairedWith: key, description: `${what} certificate` },
  { component, name: key, role: keyRole, pairedWith: cert, description: `${what} private key` },
];

const etcdEnv = (flag: string): string => `ETCD_${flag.slice(2).toUpperCase().replace(/-/g, '_')}`;

const serverFlags = (component: Component): FlagSpec[] => [
  ...pair(component, '--tls-cert-file', '--tls-private-key-file', 'serving-cert', 'serving-key', `${component} serving`),
  { component, name: '--client-ca-file', role: 'client-ca', description: 'CA bundle that verifies client certificates' },
  { component, name: '--requestheader-client-ca-file', role: 'client-ca', description: 'CA bundle that verifies the front proxy (aggregation layer)' },
  { component, name: '--kubeconfig', role: 'kubeconfig', description: 'kubeconfig to reach the API server' },
  { component, name: '--authentication-kubeconfig', role: 'kubeconfig', description: 'kubeconfig for delegated authentication' },
  { component, name: '--authorization-kubeconfig', role: 'kubeconfig', description: 'kubeconfig for delegated authorization' },
];

export const FLAG_TABLE: readonly FlagSpec[] = [
  // kube-apiserver
  ...pair('kube-apiserver', '--tls-cert-file', '--tls-private-key-file', 'serving-cert', 'serving-key', 'API server serving'),
  {
    component: 'kube-apiserver',
    name: '--tls-sni-cert-key',
    role: 'sni-cert-key',
    description: 'extra serving certificate and key for SNI names ("cert.crt,key.key:name")',
  },
  {
    component: 'kube-apiserver',
    name: '--client-ca-file',
    role: 'client-ca',
    description: 'CA bundle that verifies client certificates (kubeconfig users, kubelets)',
  },
  {
    component: 'kube-apiserver',
    name: '--requestheader-client-ca-file',
    role: 'client-ca',
    description: 'CA bundle that verifies the front proxy client (--proxy-client-cert-file)',
  },
  { component: 'kube-apiserver', name: '--requestheader-allowed-names', role: 'setting', description: 'CNs allowed as front proxy clients' },
  { component: 'kube-apiserver', name: '--etcd-cafile', role: 'server-ca', description: "CA bundle that verifies etcd's serving certificate" },
  ...pair('kube-apiserver', '--etcd-certfile', '--etcd-keyfile', 'client-cert', 'client-key', 'etcd client'),
  ...pair('kube-apiserver', '--kubelet-client-certificate', '--kubelet-client-key', 'client-cert', 'client-key', 'kubelet client'),
  {
    component: 'kube-apiserver',
    name: '--kubelet-certificate-authority',
    role: 'server-ca',
    description: "CA bundle that verifies kubelets' serving certificates",
  },
  ...pair('kube-apiserver', '--proxy-client-cert-file', '--proxy-client-key-file', 'client-cert', 'client-key', 'front proxy client'),
  { component: 'kube-apiserver', name: '--service-account-key-file', role: 'sa-public-key', description: 'public key(s) that verify service account tokens' },
  {
    component: 'kube-apiserver',
    name: '--service-account-signing-key-file',
    role: 'sa-private-key',
    description: 'private key that signs service account tokens',
  },
  { component: 'kube-apiserver', name: '--oidc-ca-file', role: 'server-ca', description: "CA bundle that verifies the OIDC issuer's certificate" },
  { component: 'kube-apiserver', name: '--advertise-address', role: 'setting', description: 'IP address the API server advertises' },
  { component: 'kube-apiserver', name: '--service-cluster-ip-range', role: 'setting', description: 'service CIDR; its first IP is the kubernetes service' },
  { component: 'kube-apiserver', name: '--etcd-servers', role: 'setting', description: 'etcd client URLs' },
  // etcd (flags and their ETCD_* environment forms)
  ...[
    ...pair('etcd', '--cert-file', '--key-file', 'serving-cert', 'serving-key', 'etcd client-facing serving'),
    { component: 'etcd', name: '--trusted-ca-file', role: 'client-ca', description: 'CA bundle that verifies etcd clients' },
    ...pair('etcd', '--peer-cert-file', '--peer-key-file', 'serving-cert', 'serving-key', 'etcd peer'),
    { component: 'etcd', name: '--peer-trusted-ca-file', role: 'client-ca', description: 'CA bundle that verifies etcd peers' },
    { component: 'etcd', name: '--advertise-client-urls', role: 'setting', description: 'client URLs etcd advertises' },
    { component: 'etcd', name: '--initial-advertise-peer-urls', role: 'setting', description: 'peer URLs etcd advertises' },
    { component: 'etcd', name: '--name', role: 'setting', description: 'etcd member name (kubeadm: the node name)' },
  ].map((spec) => ({ ...spec, env: etcdEnv(spec.name) }) as FlagSpec),
  // kube-controller-manager
  ...serverFlags('kube-controller-manager'),
  ...pair(
    'kube-controller-manager',
    '--cluster-signing-cert-file',
    '--cluster-signing-key-file',
    'signing-cert',
    'signing-key',
    'cluster signing (CSR approval)',
  ),
  ...['kubelet-serving', 'kubelet-client', 'kube-apiserver-client', 'legacy-unknown'].flatMap((signer) =>
    pair(
      'kube-controller-manager',
      `--cluster-signing-${signer}-cert-file`,
      `--cluster-signing-${signer}-key-file`,
      'signing-cert',
      'signing-key',
      `${signer} signer`,
    ),
  ),
  { component: 'kube-controller-manager', name: '--root-ca-file', role: 'server-ca', description: 'CA bundle published to pods as ca.crt' },
  {
    component: 'kube-controller-manager',
    name: '--service-account-private-key-file',
    role: 'sa-private-key',
    description: 'private key that signs service account tokens',
  },
  // kube-scheduler
  ...serverFlags('kube-scheduler'),
  // kubelet (flags, kubeadm-flags.env, KubeletConfiguration fields)
  { component: 'kubelet', name: '--kubeconfig', role: 'kubeconfig', description: 'kubeconfig the kubelet uses to reach the API server' },
  { component: 'kubelet', name: '--bootstrap-kubeconfig', role: 'kubeconfig', description: 'kubeconfig for TLS bootstrap' },
  { component: 'kubelet', name: '--config', role: 'config', description: 'KubeletConfiguration file' },
  {
    component: 'kubelet',
    name: '--cert-dir',
    role: 'cert-dir',
    description: 'folder of the kubelet serving and client certificates (default /var/lib/kubelet/pki)',
  },
  ...pair('kubelet', '--tls-cert-file', '--tls-private-key-file', 'serving-cert', 'serving-key', 'kubelet serving'),
  { component: 'kubelet', name: '--client-ca-file', role: 'client-ca', description: 'CA bundle that verifies clients of the kubelet API (the API server)' },
  { component: 'kubelet', name: '--hostname-override', role: 'setting', description: 'node name' },
  ...pair('kubelet', 'tlsCertFile', 'tlsPrivateKeyFile', 'serving-cert', 'serving-key', 'kubelet serving'),
  {
    component: 'kubelet',
    name: 'authentication.x509.clientCAFile',
    role: 'client-ca',
    description: 'CA bundle that verifies clients of the kubelet API (the API server)',
  },
  { component: 'kube-proxy', name: '--kubeconfig', role: 'kubeconfig', description: 'kubeconfig kube-proxy uses' },
  { component: 'kube-proxy', name: '--config', role: 'config', description: 'KubeProxyConfiguration file' },
  { component: 'kube-scheduler', name: '--config', role: 'config', description: 'KubeSchedulerConfiguration file' },
  // kube-proxy / scheduler component configs
  { component: 'kube-proxy', name: 'clientConnection.kubeconfig', role: 'kubeconfig', description: 'kubeconfig kube-proxy uses' },
  { component: 'kube-scheduler', name: 'clientConnection.kubeconfig', role: 'kubeconfig', description: 'kubeconfig the scheduler uses' },
  // kubeadm ClusterConfiguration
  { component: 'kubeadm', name: 'certificatesDir', role: 'cert-dir', description: 'folder where kubeadm keeps the cluster PKI (default /etc/kubernetes/pki)' },
  // kubeconfig fields
  { component: 'kubeconfig', name: 'certificate-authority', role: 'server-ca', description: "CA bundle that verifies the API server's certificate" },
  {
    component: 'kubeconfig',
    name: 'certificate-authority-data',
    role: 'server-ca',
    description: "CA bundle (base64) that verifies the API server's certificate",
  },
  { component: 'kubeconfig', name: 'client-certificate', role: 'client-cert', pairedWith: 'client-key', description: 'client certificate' },
  { component: 'kubeconfig', name: 'client-certificate-data', role: 'client-cert', pairedWith: 'client-key-data', description: 'client certificate (base64)' },
  { component: 'kubeconfig', name: 'client-key', role: 'client-key', pairedWith: 'client-certificate', description: 'client private key' },
  { component: 'kubeconfig', name: 'client-key-data', role: 'client-key', pairedWith: 'client-certificate-data', description: 'client private key (base64)' },
  { component: 'kubeconfig', name: 'server', role: 'setting', description: 'API server URL' },
  { component: 'kubeconfig', name: 'tls-server-name', role: 'setting', description: 'name checked against the serving certificate instead of the server host' },
  { component: 'kubeconfig', name: 'insecure-skip-tls-verify', role: 'setting', description: 'disables server certificate verification' },
  // Talos machine configuration (v1alpha1): every CA and key inline, base64 of PEM
  ...pair('talos', 'machine.ca.crt', 'machine.ca.key', 'signing-cert', 'signing-key', 'Talos machine CA (signs the Talos API and talosconfig clients)'),
  ...pair('talos', 'cluster.ca.crt', 'cluster.ca.key', 'signing-cert', 'signing-key', 'Kubernetes CA'),
  ...pair('talos', 'cluster.aggregatorCA.crt', 'cluster.aggregatorCA.key', 'signing-cert', 'signing-key', 'aggregation layer (front proxy) CA'),
  ...pair('talos', 'cluster.etcd.ca.crt', 'cluster.etcd.ca.key', 'signing-cert', 'signing-key', 'etcd CA'),
  { component: 'talos', name: 'cluster.serviceAccount.key', role: 'sa-private-key', description: 'private key that signs service account tokens (base64)' },
  { component: 'talos', name: 'machine.acceptedCAs.crt', role: 'client-ca', description: 'extra CA whose clients the Talos API accepts (base64)' },
  { component: 'talos', name: 'machine.certSANs', role: 'setting', description: 'extra names of the Talos API serving certificate' },
  { component: 'talos', name: 'cluster.controlPlane.endpoint', role: 'setting', description: 'Kubernetes API endpoint of the cluster' },
  // talosconfig contexts
  { component: 'talosconfig', name: 'ca', role: 'server-ca', description: 'CA that verifies the Talos API (base64)' },
  ...pair('talosconfig', 'crt', 'key', 'client-cert', 'client-key', 'talosctl client (base64)'),
  { component: 'talosconfig', name: 'endpoints', role: 'setting', description: 'Talos API endpoints talosctl connects to' },
];

export function flagSpec(component: Component, name: string): FlagSpec | undefined {
  return FLAG_TABLE.find((f) => f.component === component && f.name === name);
}

export function envSpec(component: Component, env: string): FlagSpec | undefined {
  return FLAG_TABLE.find((f) => f.component === component && f.env === env);
}

/** Roles whose value is a file holding certificates (as opposed to keys, kubeconfigs, settings). */
export const CERTIFICATE_ROLES: ReadonlySet<Role> = new Set(['serving-cert', 'client-cert', 'client-ca', 'server-ca', 'signing-cert']);
export const KEY_ROLES: ReadonlySet<Role> = new Set(['serving-key', 'client-key', 'signing-key', 'sa-private-key']);
export const FILE_ROLES: ReadonlySet<Role> = new Set([...CERTIFICATE_ROLES, ...KEY_ROLES, 'sa-public-key', 'kubeconfig', 'config']);
