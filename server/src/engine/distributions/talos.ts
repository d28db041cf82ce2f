import type { Distribution } from './distribution';

/**
 * Talos: no node files to find (its machine configuration and talosconfig are read by content, as
 * document kinds), so its table names only what `kube-pki expiry` calls the inline CAs it carries.
 */
export const TALOS: Distribution = {
  id: 'talos',
  signatures: [],
  layoutDirs: [],
  kubeconfigUsers: [],
  identities: {},
  roleByFlag: {
    'talos machine.ca.crt': 'talos machine CA',
    'talos cluster.ca.crt': 'kubernetes CA',
    'talos cluster.etcd.ca.crt': 'etcd CA',
    'talos cluster.aggregatorCA.crt': 'aggregator CA',
    'talos machine.acceptedCAs.crt': 'talos accepted CA',
    'talosconfig ca': 'talos machine CA',
  },
  roleByPath: {},
  builtIn: [],
  // Talos's certificates live in its machine configuration: nothing here is renewed as a file.
  renewal: { leafDays: 365, appendsChain: false, kubeletRenewsOwn: true },
};
