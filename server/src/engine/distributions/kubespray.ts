import type { Distribution } from './distribution';

const ETCD_SSL = '/etc/ssl/etcd/ssl';

/**
 * kubespray: kubeadm's names under kube_cert_dir /etc/kubernetes/ssl (kubeadm's table reads them, /etc/kubernetes/pki being
 * the compatibility link), etcd run by systemd from /etc/etcd.env with the certificates of roles/etcd/files/make-ssl-etcd.sh
 * under /etc/ssl/etcd/ssl: one CA, and per inventory host a member (etcd's serving and peer), an admin (etcdctl) and a node
 * (the API server's etcd client) certificate, each <name>-<host>.pem beside <name>-<host>-key.pem.
 */
export const KUBESPRAY: Distribution = {
  id: 'kubespray',
  signatures: [`${ETCD_SSL}/ca.pem`, '/etc/kubernetes/ssl/ca.crt'],
  layoutDirs: ['etc/ssl/etcd'],
  layoutFiles: ['etc/etcd.env'],
  kubeconfigUsers: [],
  identities: {},
  roleByFlag: {},
  roleByPath: { [`${ETCD_SSL}/ca.pem`]: 'etcd-ca' },
  // A host name is one path segment; the names end the path, so each test is one anchored pass.
  roleByPattern: [
    [/\/etc\/ssl\/etcd\/ssl\/member-([^/]+)\.pem$/, 'etcd member $1'],
    [/\/etc\/ssl\/etcd\/ssl\/admin-([^/]+)\.pem$/, 'etcd admin $1'],
    [/\/etc\/ssl\/etcd\/ssl\/node-([^/]+)\.pem$/, 'etcd node $1'],
  ],
  builtIn: [],
  // make-ssl-etcd.sh signs member, admin and node certificates `-days 365` with ca-key.pem (the CA itself `-days 10000`);
  // kubeadm issues the rest under /etc/kubernetes/ssl for its one year.
  renewal: { leafDays: 365, appendsChain: false, kubeletRenewsOwn: true, caKeySuffix: ['.pem', '-key.pem'] },
};
