import { posix } from 'node:path';
import type { Distribution } from './distribution';
import { rancherDistribution } from './rancher';

/** A k3s or RKE2 tree found by its content away from /var/lib/rancher/<p>: its folder and the table with paths relative to it. */
export interface RancherCopy {
  root: string;
  distribution: Distribution;
}

/** Node paths under a data dir: a copied data dir holds them under its own name (k3s-node1/server/tls/...). */
export const RANCHER_DATA_DIRS: readonly string[] = ['/var/lib/rancher/k3s/', '/var/lib/rancher/rke2/'];

// The two CAs kubeadm never writes under these names, and one of the names only the supervisor gives (deps.go).
const CAS = ['client-ca.crt', 'server-ca.crt'];
const SUPERVISOR_NAMES = ['request-header-ca.crt', 'serving-kube-apiserver.crt'];
// client-<p>-controller.crt and client-<p>-cloud-controller.crt name the program.
const RKE2_NAMES = ['client-rke2-controller.crt', 'client-rke2-cloud-controller.crt'];
const NAMES = new Set([...CAS, ...SUPERVISOR_NAMES, ...RKE2_NAMES]);

/** Whether a file's name is one rancherCopies reads: adding or removing any other file finds the same copies. */
export function namesCopyFile(file: string): boolean {
  return NAMES.has(posix.basename(file));
}

/**
 * The server/tls folders of the tree that are not at their canonical place (a support bundle's k3s-node1/server/tls,
 * a backup of the tls folder alone), by the supervisor's file names: client-ca.crt and server-ca.crt beside
 * request-header-ca.crt or serving-kube-apiserver.crt. A kubeadm pki/ with a client-ca.crt is not one. One pass.
 */
export function rancherCopies(files: readonly string[]): RancherCopy[] {
  const byFolder = new Map<string, Set<string>>();
  for (const file of files) {
    const name = posix.basename(file);
    if (!NAMES.has(name)) continue;
    const folder = posix.dirname(file);
    if (RANCHER_DATA_DIRS.some((d) => `${folder}/`.includes(d))) continue;
    const names = byFolder.get(folder) ?? new Set<string>();
    names.add(name);
    byFolder.set(folder, names);
  }
  const copies: RancherCopy[] = [];
  for (const [folder, names] of byFolder) {
    if (!CAS.every((n) => names.has(n)) || !SUPERVISOR_NAMES.some((n) => names.has(n))) continue;
    const p = RKE2_NAMES.some((n) => names.has(n)) ? 'rke2' : 'k3s';
    // A whole data dir copied: the folder above server/ stands for /var/lib/rancher/<p>; else the tls folder alone.
    const dataDir = folder.endsWith('/server/tls') ? folder.slice(0, -'/server/tls'.length) : undefined;
    copies.push({ root: dataDir || folder, distribution: rancherDistribution(p, '', dataDir ? '/server/tls' : '') });
  }
  return copies;
}

/** Who runs with a kubeconfig of a copy, by its place in the copy (server/cred/admin.kubeconfig). */
export function kubeconfigUserInCopy(copy: RancherCopy, file: string): string | undefined {
  return copy.distribution.kubeconfigUsers.find((k) => k.path && file === posix.join(copy.root, k.path))?.user;
}

/** The supervisor's name for a file of a copy (client-admin, agent serving-kubelet), by its place in the copy. */
export function roleInCopy(copy: RancherCopy, path: string): string | undefined {
  if (!path.startsWith(`${copy.root}/`)) return undefined;
  return copy.distribution.roleByPath[path.slice(copy.root.length)];
}
