import { posix } from 'node:path';
import { LAYOUT_DIRS, LAYOUT_FILES, RANCHER_DATA_DIRS } from '../distributions';
import { isUnder } from '../io/pathGuard';
import type { ContainerMounts } from './reference';

/** Where a node path was found in the checked tree, or why not. */
export type ResolvedPath =
  | { found: true; path: string; via: 'root' | 'walk-up' | 'suffix' | 'relative' }
  | { found: false; path: string; reason: 'missing' }
  | { found: false; path: string; reason: 'not-mounted' };

export interface PathContext {
  /** The folder the user asked to check: resolution never leaves it. */
  boundary: string;
  /** An explicit node root (CLI --root, editor setting): "/" maps here. */
  root?: string;
  exists(path: string): boolean;
  /** Every file of the tree, for the unique-suffix fallback of `suffix` (given so a caller can note what the resolution asked). */
  allFiles(suffix: string): string[];
}

/** Whether the unique-suffix fallback for `suffix` counts `file`: adding or removing any other file leaves its answer as it was. */
export function matchesSuffix(file: string, boundary: string, suffix: string): boolean {
  return file === posix.join(boundary, suffix) || file.endsWith(`/${suffix}`);
}

/**
 * Maps a static pod's container path to the host path through the
 * container's volumeMounts (longest mountPath wins; a mount of a single file
 * counts; /etc/kubernetes/pki-etcd is not under /etc/kubernetes/pki).
 */
export function mapContainerPath(containerPath: string, container: ContainerMounts): string | undefined {
  const path = posix.normalize(containerPath);
  let best: { mountPath: string; hostPath: string } | undefined;
  for (const mount of container.mounts) {
    const mountPath = posix.normalize(mount.mountPath).replace(/\/+$/, '') || '/';
    const covers = path === mountPath || path.startsWith(mountPath === '/' ? '/' : `${mountPath}/`);
    if (!covers || mount.hostPath === undefined) continue;
    if (!best || mountPath.length > best.mountPath.length) best = { mountPath, hostPath: mount.hostPath };
  }
  if (!best) return undefined;
  return posix.join(best.hostPath, path.slice(best.mountPath.length));
}

/** Whether `path` is `boundary` or under it (after normalising: a `..` never slips out). */
export function inside(boundary: string, path: string): boolean {
  return isUnder(boundary, posix.normalize(path));
}

/**
 * Finds a node path in the checked tree: under the explicit root; else from
 * the first ancestor of the referencing file (walking up, inside the
 * boundary) under which it exists, so DIR/etc/kubernetes/manifests/x.yaml
 * makes DIR stand for /; else a unique suffix match among the tree's files.
 * Relative paths are relative to the referencing file's folder (kubectl and
 * the kubelet read them so).
 */
export function resolveNodePath(nodePath: string, fromFile: string, context: PathContext): ResolvedPath {
  const fromDir = posix.dirname(fromFile);
  if (!nodePath.startsWith('/')) {
    const path = posix.join(fromDir, nodePath);
    return inside(context.boundary, path) && context.exists(path) ? { found: true, path, via: 'relative' } : { found: false, path, reason: 'missing' };
  }
  if (context.root) {
    const path = posix.join(context.root, nodePath);
    return context.exists(path) ? { found: true, path, via: 'root' } : { found: false, path, reason: 'missing' };
  }
  for (let dir = fromDir; inside(context.boundary, dir); dir = posix.dirname(dir)) {
    const path = posix.join(dir, nodePath);
    if (context.exists(path)) return { found: true, path, via: 'walk-up' };
    if (dir === posix.dirname(dir)) break;
  }
  const copied = relocatedInCopy(nodePath, fromDir, context);
  if (copied) return copied;
  const suffix = nodePath.replace(/^\/+/, '');
  const matches = context.allFiles(suffix).filter((f) => matchesSuffix(f, context.boundary, suffix));
  if (matches.length === 1) return { found: true, path: matches[0], via: 'suffix' };
  return { found: false, path: posix.join(guessNodeRoot(fromFile, context.boundary), nodePath), reason: 'missing' };
}

/**
 * A k3s/RKE2 data dir copied under another name (k3s-node1/server/cred/admin.kubeconfig names
 * /var/lib/rancher/k3s/server/tls/client-admin.crt): the path under the data dir, from the first ancestor holding it.
 */
function relocatedInCopy(nodePath: string, fromDir: string, context: PathContext): ResolvedPath | undefined {
  const dataDir = RANCHER_DATA_DIRS.find((d) => nodePath.startsWith(d));
  if (!dataDir) return undefined;
  const rest = nodePath.slice(dataDir.length);
  for (let dir = fromDir; inside(context.boundary, dir); dir = posix.dirname(dir)) {
    const path = posix.join(dir, rest);
    if (context.exists(path)) return { found: true, path, via: 'walk-up' };
    if (dir === posix.dirname(dir)) break;
  }
  return undefined;
}

/**
 * Whether a path the configuration names lies outside what kube-pki reads:
 * the checked folder and the explicit node root. Such a file is never
 * opened (not for a hover, not for a check), so a manifest naming
 * ../../../../etc/shadow cannot make an editor show it.
 */
export function outsideTree(path: string, context: Pick<PathContext, 'boundary' | 'root'>): boolean {
  return !inside(context.boundary, path) && !(context.root && inside(context.root, path));
}

/** Where kubeadm, the hard way, k3s and RKE2 keep a node's cluster files, relative to its `/` (the distributions' tables). */
export const NODE_LAYOUT_DIRS = LAYOUT_DIRS;

/** A node root's cluster folders: all kube-pki reads of a root outside the checked folder (never a whole file system). */
export function clusterFolders(root: string): string[] {
  return NODE_LAYOUT_DIRS.map((dir) => posix.join(root, dir));
}
const LAYOUT_ANCHORS = NODE_LAYOUT_DIRS.map((dir) => `/${dir}/`);

/** The folder that stands for / of the node a file belongs to, from where the distributions put files. */
export function guessNodeRoot(file: string, boundary: string): string {
  for (const anchor of LAYOUT_ANCHORS) {
    const at = file.lastIndexOf(anchor);
    if (at >= 0 && inside(boundary, file.slice(0, at) || '/')) return file.slice(0, at) || '/';
  }
  // A layout file (DIR/etc/etcd.env) says so by its own path.
  for (const layoutFile of LAYOUT_FILES) {
    const root = file.endsWith(`/${layoutFile}`) ? file.slice(0, -layoutFile.length - 1) || '/' : undefined;
    if (root && inside(boundary, root)) return root;
  }
  return boundary;
}
