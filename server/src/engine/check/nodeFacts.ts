import { posix } from 'node:path';
import { readRegularFile } from '../io/guardedRead';
import { PathGuard } from '../io/pathGuard';
import type { Component } from '../kube/flagTable';
import { getOrMake } from '../memo';
import { NodeModel, PodModel, kubeletRef, refOf } from './clusterModel';
import type { RuleContext } from './ruleContext';

/**
 * Who talks to whom. Within a node the answer is the node's own components;
 * a node without an API server (a worker) uses the tree's only API server
 * when there is exactly one.
 */
export function podFor(ctx: RuleContext, node: NodeModel, component: Component): PodModel | undefined {
  const own = node.pods[component];
  if (own) return own;
  const all = podsOf(ctx, component);
  return all.length === 1 ? all[0] : undefined;
}

// Every component's pods across the tree, once per check (rules ask for every node of every API server).
const podsByContext = new WeakMap<RuleContext, Map<Component, PodModel[]>>();

function podsOf(ctx: RuleContext, component: Component): PodModel[] {
  return getOrMake(getOrMake(podsByContext, ctx, () => new Map()), component, () => ctx.nodes.map((n) => n.pods[component]).filter((p): p is PodModel => !!p));
}

// Several rules ask for each node's name; a check builds its nodes afresh, so this lasts one check.
const nodeNames = new WeakMap<NodeModel, { name: string | undefined }>();

/** The node name: kubelet --hostname-override, else etc/hostname of the node, else etcd's --name. */
export function nodeName(node: NodeModel): string | undefined {
  return getOrMake(nodeNames, node, () => ({ name: readNodeName(node) })).name;
}

function readNodeName(node: NodeModel): string | undefined {
  const override = kubeletRef(node, '--hostname-override')?.value;
  if (override) return override.toLowerCase();
  try {
    // A few bytes of a regular file inside the node's root: a link leading out, /dev/zero or a huge file is not a name.
    const read = readRegularFile(posix.join(node.root, 'etc', 'hostname'), new PathGuard({ readRoots: [node.root], writeRoots: [] }), 1024);
    const hostname = read.bytes ? Buffer.from(read.bytes).toString('utf8').trim() : '';
    if (hostname && hostname.length < 254) return hostname.toLowerCase();
  } catch {
    // no etc/hostname in the tree
  }
  return refOf(node.pods.etcd, '--name')?.value.toLowerCase();
}
