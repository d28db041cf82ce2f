import { posix } from 'node:path';
import type { Distribution, ExpectedIdentity, KubeconfigUser } from './distribution';
import { K3S } from './k3s';
import { KUBEADM } from './kubeadm';
import { KUBESPRAY } from './kubespray';
import { MICROK8S } from './microk8s';
import { PACKAGE_INSTALL } from './packageInstall';
import { RKE2 } from './rke2';
import { TALOS } from './talos';

export type { BuiltInFlag, Distribution, ExpectedIdentity, KubeconfigUser, RenewalProfile } from './distribution';
export { MICROK8S_UNNAMED_PAIRS } from './microk8s';
export { kubeconfigUserInCopy, namesCopyFile, RANCHER_DATA_DIRS, RancherCopy, rancherCopies, roleInCopy } from './rancherCopies';

/** Every distribution kube-pki knows, kubeadm first: its table decides where tables overlap. */
export const DISTRIBUTIONS: readonly Distribution[] = [KUBEADM, K3S, RKE2, TALOS, KUBESPRAY, PACKAGE_INSTALL, MICROK8S];

/**
 * The distribution that laid out the node standing at `root`, by the files it writes (no setting):
 * k3s or RKE2 when their server/tls or agent files are there, else kubeadm (the hard way included).
 */
export function detectDistribution(root: string, exists: (path: string) => boolean): Distribution {
  return DISTRIBUTIONS.find((d) => d.id !== 'kubeadm' && d.signatures.some((s) => exists(posix.join(root, s)))) ?? KUBEADM;
}

const KUBECONFIG_USERS = DISTRIBUTIONS.flatMap((d) => d.kubeconfigUsers);

/**
 * Who runs with a kubeconfig, from its name or place in any distribution's layout (the names never collide):
 * a file name pattern first, then a node path (or its pattern).
 */
export function kubeconfigUserOf(file: string): KubeconfigUser | undefined {
  const base = posix.basename(file);
  return (
    KUBECONFIG_USERS.find((k) => k.base?.test(base))?.user ?? KUBECONFIG_USERS.find((k) => (k.path && file.endsWith(k.path)) || k.pathPattern?.test(file))?.user
  );
}

/** The identity a user's client certificate must carry, from the first table that names the user. */
export function expectedIdentity(user: KubeconfigUser): ExpectedIdentity | undefined {
  for (const d of DISTRIBUTIONS) if (Object.hasOwn(d.identities, user)) return d.identities[user];
  return undefined;
}

/** The layout folders of every distribution (a node root's reads; where a file's node root is). */
export const LAYOUT_DIRS: readonly string[] = DISTRIBUTIONS.flatMap((d) => d.layoutDirs);

/** The layout files outside those folders (kubespray's etc/etcd.env), relative to the node's /. */
export const LAYOUT_FILES: readonly string[] = DISTRIBUTIONS.flatMap((d) => d.layoutFiles ?? []);

const ROLE_BY_FLAG: Readonly<Record<string, string>> = Object.assign({}, ...DISTRIBUTIONS.map((d) => d.roleByFlag));
const ROLE_BY_PATH = DISTRIBUTIONS.flatMap((d) => Object.entries(d.roleByPath));
const ROLE_BY_PATTERN = DISTRIBUTIONS.flatMap((d) => d.roleByPattern ?? []);

/** `kube-pki expiry`'s name for what a flag names ("apiserver" for kube-apiserver --tls-cert-file), when a table has one. */
export function roleOfFlag(component: string, flag: string): string | undefined {
  return ROLE_BY_FLAG[`${component} ${flag}`];
}

/** `kube-pki expiry`'s name for a file of a distribution's layout ("serving-kube-apiserver"), by where it lies. */
export function roleOfPath(path: string): string | undefined {
  const exact = ROLE_BY_PATH.find(([nodePath]) => path.endsWith(nodePath))?.[1];
  if (exact) return exact;
  for (const [pattern, role] of ROLE_BY_PATTERN) {
    const host = pattern.exec(path)?.[1];
    if (host !== undefined) return role.replace('$1', host);
  }
  return undefined;
}

/**
 * The distribution a file belongs to by the folder it lies in (its layout dirs), kubeadm's when none: no file is read.
 * Only where the check's node says no more (check/clusterModel distributionOf): a file no node holds, or a node whose
 * signature files are not there (a MicroK8s revision folder, /srv/kubernetes), which detection calls kubeadm.
 */
export function distributionOfPath(path: string): Distribution {
  const inside = (d: Distribution) => d.layoutDirs.some((dir) => path.includes(`/${dir}/`));
  return DISTRIBUTIONS.find((d) => d.id !== 'kubeadm' && inside(d)) ?? KUBEADM;
}

/** How `distribution` re-issues a leaf in this file: its lifetime for it, whether the CA follows it, who renews kubelet's. */
export function renewalOf(distribution: Distribution, path: string): { days: number; appendsChain: boolean; kubeletRenewsOwn: boolean } {
  const { renewal } = distribution;
  const byName = renewal.leafDaysByName?.[posix.basename(path)];
  return { days: byName ?? renewal.leafDays, appendsChain: renewal.appendsChain, kubeletRenewsOwn: renewal.kubeletRenewsOwn };
}

/** Where a CA certificate's key may lie: <name>.key, and the distribution's own naming (kubespray's ca-key.pem beside ca.pem). */
export function caKeyPaths(certPath: string, distribution: Distribution): string[] {
  const paths = [certPath.replace(/\.(crt|pem|cer)$/, '') + '.key'];
  const suffix = distribution.renewal.caKeySuffix;
  if (suffix && certPath.endsWith(suffix[0])) paths.push(certPath.slice(0, -suffix[0].length) + suffix[1]);
  return paths.filter((p) => p !== certPath);
}
