import { realpathSync } from 'node:fs';
import { posix } from 'node:path';
import { distributionOf, NodeModel, nodeOfPath } from '../check/clusterModel';
import type { RuleContext } from '../check/ruleContext';
import { Distribution, kubeconfigUserOf, renewalOf, roleInCopy, roleOfPath } from '../distributions';
import { CERT_PROFILES, KUBECONFIG_PROFILES } from '../gen/profiles';
import type { Reference } from '../kube/reference';
import type { CertificateInfo } from '../pki/certificate';

/** A leaf certificate the tree uses: a file, or a kubeconfig user's client-certificate-data. */
export interface Leaf {
  /** The certificate file, or the kubeconfig holding the data. */
  path: string;
  /** The kubeconfig user when the certificate is embedded, else null. */
  field: string | null;
  cert: CertificateInfo;
  /** The distribution the check decided for the file's node: how the leaf is issued again (lifetime, CA appended). */
  distribution: Distribution;
  /** What loads this file and restarts to see the new one: components (static pods, kubelet), or the service running them (k3s). */
  users: Set<string>;
  /** kubelet's own certificates (its rotated client certificate, its serving certificate) are the kubelet's to renew. */
  leftToKubelet: boolean;
}

const LEAF_ROLES = new Set(['client-cert', 'serving-cert']);

/** The components whose flags or configuration name `path`: static pods, the kubelet, component configs (kube-proxy's), built-in flags. */
function componentsNaming(ctx: RuleContext, node: NodeModel, path: string): string[] {
  const names = (refs: Reference[]) => refs.filter((r) => ctx.resolvedPath(r)?.path === path).map((r) => r.component as string);
  const pods = Object.values(node.pods).flatMap((pod) => (pod && names(pod.references).length > 0 ? [pod.component] : []));
  const kubelet = names(node.kubelet).length > 0 || posix.basename(path) === 'kubelet.conf' ? ['kubelet'] : [];
  return [...pods, ...kubelet, ...names(node.componentConfigs)];
}

function componentsUsing(ctx: RuleContext, node: NodeModel, path: string): string[] {
  const names = componentsNaming(ctx, node, path);
  // A certificate a kubeconfig names by path is loaded by whoever runs with that kubeconfig (k3s's agent
  // client-kubelet.crt through kubelet.kubeconfig, the hard way's kube-proxy.crt): named by a flag, or by the
  // layout's table of kubeconfig users (a person's admin kubeconfig restarts nothing).
  for (const kubeconfig of node.kubeconfigs) {
    if (!kubeconfig.references.some((r) => !r.inline && ctx.resolvedPath(r)?.path === path)) continue;
    const user = kubeconfigUserOf(kubeconfig.file);
    names.push(...componentsNaming(ctx, node, kubeconfig.file), ...(user && user !== 'admin' ? [user] : []));
  }
  // k3s runs them in its process, RKE2's supervisor writes their pods: its service is what restarts (a server's runs an API server).
  const services = node.distribution.renewal.services;
  if (names.length === 0 || !services) return [...new Set(names)];
  return [node.pods['kube-apiserver'] ? services.server : services.agent];
}

function leafOf(ctx: RuleContext, ref: Reference): Omit<Leaf, 'users'> | undefined {
  const target = ctx.ok(ref);
  const cert = target?.certs[0];
  if (!cert || cert.basicConstraints?.ca) return undefined;
  if (ref.inline) return ref.name === 'client-certificate-data' ? leafAt(ctx, ref.file, ref.owner ?? '', cert) : undefined;
  if (!target.path) return undefined;
  const leaf = leafAt(ctx, target.path, null, cert);
  const kubelets = ref.component === 'kubelet' || posix.basename(target.path).startsWith('kubelet-client-');
  // k3s's agent certificates come from its supervisor, not from kubelet rotation: renew renews them.
  return { ...leaf, leftToKubelet: kubelets && renewalOf(leaf.distribution, target.path).kubeletRenewsOwn };
}

function leafAt(ctx: RuleContext, path: string, field: string | null, cert: CertificateInfo): Omit<Leaf, 'users'> {
  return { path, field, cert, distribution: distributionOf(ctx.nodes, path), leftToKubelet: false };
}

/** kubeadm's leaves of a node, by the file kubeadm writes: found even where no manifest names them (a generated tree). */
function kubeadmFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const p of CERT_PROFILES) if (!p.ca) files.set(posix.join(root, 'etc/kubernetes/pki', `${p.file}.crt`), p.name);
  for (const k of KUBECONFIG_PROFILES) files.set(posix.join(root, 'etc/kubernetes', k.file), k.file);
  return files;
}

/** The leaves a distribution's table names by place (k3s's server/tls, kubespray's member-<host>.pem, MicroK8s's certs/): found where no flag names them. */
async function addLayoutFiles(ctx: RuleContext, add: (leaf: Omit<Leaf, 'users'>, users: string[]) => void): Promise<void> {
  for (const path of ctx.workspace.pemFiles) {
    const node = nodeOfPath(ctx.nodes, path);
    // A copy's files by their place in the copy (backup/tls/client-admin.crt), as the check names them.
    if (roleOfPath(path) === undefined && (!node?.copy || roleInCopy(node.copy, path) === undefined)) continue;
    const first = (await ctx.workspace.load(path)).decoded.blocks.find((b) => b.object?.kind === 'certificate')?.object;
    const cert = first?.kind === 'certificate' ? first : undefined;
    if (!cert || cert.basicConstraints?.ca) continue;
    add(leafAt(ctx, path, null, cert), node ? componentsUsing(ctx, node, path) : []);
  }
}

/** Every leaf the tree's configuration uses, and kubeadm's own leaves where they lie; keyed by path and user. */
export async function leavesOf(ctx: RuleContext): Promise<Leaf[]> {
  const leaves = new Map<string, Leaf>();
  const add = (leaf: Omit<Leaf, 'users'>, users: string[]) => {
    const key = `${leaf.path}\0${leaf.field ?? ''}`;
    const known = leaves.get(key) ?? { ...leaf, users: new Set<string>() };
    for (const u of users) known.users.add(u);
    leaves.set(key, known);
  };
  const roots = ctx.nodes.length > 0 ? ctx.nodes : [];
  for (const node of roots) {
    const refs = [...Object.values(node.pods).flatMap((p) => p!.references), ...node.kubelet, ...node.kubeconfigs.flatMap((k) => k.references)];
    for (const ref of refs) {
      if (!LEAF_ROLES.has(ref.role)) continue;
      const leaf = leafOf(ctx, ref);
      if (leaf) add(leaf, componentsUsing(ctx, node, leaf.path));
    }
  }
  await addLayoutFiles(ctx, add);
  for (const root of new Set([ctx.workspace.boundary, ...ctx.nodes.map((n) => n.root)])) {
    const node = ctx.nodes.find((n) => n.root === root);
    for (const path of kubeadmFiles(root).keys()) {
      if (!ctx.workspace.exists(path) || path.endsWith('.conf')) continue;
      const cert = (await ctx.workspace.load(path)).decoded.blocks.map((b) => b.object).find((o): o is CertificateInfo => o?.kind === 'certificate');
      if (cert && !cert.basicConstraints?.ca) add(leafAt(ctx, path, null, cert), node ? componentsUsing(ctx, node, path) : []);
    }
  }
  return [...leaves.values()].sort((a, b) => a.path.localeCompare(b.path) || (a.field ?? '').localeCompare(b.field ?? ''));
}

/** A name given through a link (kubelet-client-current.pem) means the file it leads to; the path only, no content is read. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Whether NAME (a kubeadm name, or a path relative to DIR) means this leaf. */
export function leafMatches(leaf: Leaf, name: string, dir: string): boolean {
  const path = posix.resolve(dir, name);
  if (leaf.path === path || realPath(leaf.path) === realPath(path)) return true;
  const file = [...kubeadmFiles(dir)].find(([, n]) => n === name)?.[0];
  return file !== undefined && (leaf.path === file || leaf.path.endsWith(file.slice(dir.length)));
}
