import type { Distribution } from './distribution';

/**
 * Package installs (the RPM-era kubernetes-master/-node packages, Salt's /srv/kubernetes): each component run by a systemd
 * unit whose EnvironmentFile= is /etc/kubernetes/<component> (KUBE_API_ARGS="--tls-cert-file=..."); the env-file kind reads
 * those. Certificates live where the flags say, often /srv/kubernetes: a folder of the node.
 */
export const PACKAGE_INSTALL: Distribution = {
  id: 'package-install',
  signatures: [],
  layoutDirs: ['srv/kubernetes'],
  kubeconfigUsers: [],
  identities: {},
  roleByFlag: {},
  roleByPath: {},
  builtIn: [],
  // Nothing issues these but their admin: kubeadm's defaults.
  renewal: { leafDays: 365, appendsChain: false, kubeletRenewsOwn: true },
};
