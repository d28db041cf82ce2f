import { rancherDistribution } from './rancher';

/** RKE2: k3s's layout under /var/lib/rancher/rke2; the control plane as static pods in agent/pod-manifests (they win over the built-in flags). */
export const RKE2 = rancherDistribution('rke2');
