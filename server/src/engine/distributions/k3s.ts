import { rancherDistribution } from './rancher';

/** k3s: /var/lib/rancher/k3s, every component in the k3s process. */
export const K3S = rancherDistribution('k3s');
