import type { Distribution } from './distribution';

/** kubeadm (and the hard way, which names its files after kubeadm's components): the table the rules grew up with. */
export const KUBEADM: Distribution = {
  id: 'kubeadm',
  signatures: ['/etc/kubernetes/pki/ca.crt', '/etc/kubernetes/manifests/kube-apiserver.yaml'],
  layoutDirs: ['etc/kubernetes', 'var/lib/kubelet', 'var/lib/kubernetes', 'etc/systemd'],
  kubeconfigUsers: [
    { base: /^(kube-)?controller-manager(\.conf|\.kubeconfig)$/, user: 'kube-controller-manager' },
    { base: /^(kube-)?scheduler(\.conf|\.kubeconfig)$/, user: 'kube-scheduler' },
    { base: /^kube-proxy(\.conf|\.kubeconfig)$/, user: 'kube-proxy' },
    { base: /^kubelet(\.conf|\.kubeconfig)$/, user: 'kubelet' },
    // kubeadm's admin.conf and super-admin.conf, the hard way's admin.kubeconfig.
    { base: /^(super-)?admin(\.conf|\.kubeconfig)$/, user: 'admin' },
    { path: '/var/lib/kubelet/kubeconfig', user: 'kubelet' },
    { path: '/var/lib/kube-proxy/kubeconfig', user: 'kube-proxy' },
  ],
  identities: {
    'kube-controller-manager': { cn: 'system:kube-controller-manager' },
    'kube-scheduler': { cn: 'system:kube-scheduler' },
    'kube-proxy': { cn: 'system:kube-proxy' },
  },
  // kubeadm's names where kubeadm has one (certs check-expiration), else what the flag says the file is.
  roleByFlag: {
    'kube-apiserver --tls-cert-file': 'apiserver',
    'kube-apiserver --kubelet-client-certificate': 'apiserver-kubelet-client',
    'kube-apiserver --etcd-certfile': 'apiserver-etcd-client',
    'kube-apiserver --proxy-client-cert-file': 'front-proxy-client',
    'kube-apiserver --etcd-cafile': 'etcd-ca',
    'etcd --cert-file': 'etcd server',
    'etcd --peer-cert-file': 'etcd peer',
    'etcd --trusted-ca-file': 'etcd-ca',
    'etcd --peer-trusted-ca-file': 'etcd-ca',
    'kubelet tlsCertFile': 'kubelet serving',
    'kubelet --tls-cert-file': 'kubelet serving',
  },
  roleByPath: {},
  builtIn: [],
  // kubeadm certs renew: one year (kubeadm's CertificateValidityPeriod); kubelet rotates its own client certificate.
  renewal: { leafDays: 365, appendsChain: false, kubeletRenewsOwn: true },
};
