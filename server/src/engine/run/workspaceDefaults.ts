import { buildNodes } from '../check/clusterModel';
import { readHostname } from '../check/ruleContext';
import { listTree } from '../check/scanTree';
import { Workspace } from '../check/workspace';
import { paramsOf } from '../fix/createMissing';
import { ClusterParams, DEFAULT_PARAMS } from '../gen/profiles';
import type { PathGuard } from '../io/pathGuard';

/** Cluster facts read from a folder's own files (node name, addresses, service CIDR), to prefill the editor's inputs. */
export async function workspaceDefaults(guard: PathGuard, folder: string): Promise<ClusterParams> {
  guard.forRead(folder);
  const listing = await listTree([folder]);
  const workspace = await Workspace.open(folder, listing.files);
  const nodes = buildNodes(workspace.configFiles, folder);
  const node = nodes.find((n) => n.pods['kube-apiserver']) ?? nodes.find((n) => n.pods.etcd) ?? nodes[0];
  return node ? paramsOf(node, readHostname(workspace, node.root)) : { ...DEFAULT_PARAMS };
}
