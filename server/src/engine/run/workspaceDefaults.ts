import { buildNodes } from '../check/clusterModel';
import { readHostname } from '../check/ruleContext';
import { listTree } from '../check/scanTree';
import { Workspace } from '../check/workspace';
import { paramsOf } from '../fix/createMissing';
import { ClusterParams, DEFAULT_PARAMS } from '../gen/profiles';
import type { PathGuard } from '../io/pathGuard';

/** Cluster facts read from a folder's own files (node name, addresses, service CIDR), or undefined when they describe no node. */
async function clusterFacts(guard: PathGuard, folder: string): Promise<ClusterParams | undefined> {
  guard.forRead(folder);
  const listing = await listTree([folder]);
  const workspace = await Workspace.open(folder, listing.files);
  const nodes = buildNodes(workspace.configFiles, folder, undefined, workspace.files);
  const node = nodes.find((n) => n.pods['kube-apiserver']) ?? nodes.find((n) => n.pods.etcd) ?? nodes[0];
  return node ? paramsOf(node, readHostname(workspace, node.root)) : undefined;
}

/**
 * Cluster facts to prefill the editor's generation inputs: the first of `folders` whose files describe a node.
 * A generation target is often an empty folder; the workspace folder around it holds the cluster it belongs to.
 */
export async function workspaceDefaults(guard: PathGuard, folders: string[]): Promise<ClusterParams> {
  for (const folder of folders) {
    const facts = await clusterFacts(guard, folder);
    if (facts) return facts;
  }
  return { ...DEFAULT_PARAMS };
}
