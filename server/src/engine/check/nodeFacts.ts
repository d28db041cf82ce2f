import { posix } from 'node:path';
import type { Component } from '../kube/flagTable';
import { unexpandedVariable } from '../kube/unexpandedVariable';
import { getOrMake } from '../memo';
import { kubeletRef, NodeModel, PodModel, refOf } from './clusterModel';
import type { RuleContext } from './ruleContext';

/**
 * Who talks to whom. Within a node the answer is the node's own components;
 * a node without an API server (a worker) uses the tree's only API server
 * when there is exactly one. A node that holds a cluster CA key is a control
 * plane of its own (a PKI generated beside the cluster, `kubeadm init phase
 * certs` output): workers never hold it, so it borrows no other node's pods.
 */
export function podFor(ctx: RuleContext, node: NodeModel, component: Component): PodModel | undefined {
  const own = node.pods[component];
  if (own) return own;
  if (holdsClusterCaKey(ctx, node)) return undefined;
  const all = podsOf(ctx, component);
  return all.length === 1 ? all[0] : undefined;
}

/** Where kubeadm keeps the cluster CA's key, relative to a node's `/`. */
const CLUSTER_CA_KEY = 'etc/kubernetes/pki/ca.key';

// Asked for every node by every node's API server (podFor): once per node and check.
const caKeyHolders = new WeakMap<RuleContext, Map<NodeModel, boolean>>();

function holdsClusterCaKey(ctx: RuleContext, node: NodeModel): boolean {
  return getOrMake(
    getOrMake(caKeyHolders, ctx, () => new Map()),
    node,
    () => ctx.workspace.exists(posix.join(node.root, CLUSTER_CA_KEY)),
  );
}

// Each API server's clients, found in one pass over the nodes: asking every node per API server was quadratic in nodes.
const clientsByContext = new WeakMap<RuleContext, Map<PodModel, NodeModel[]>>();

/** The nodes whose kube-apiserver is `pod` (podFor), in the nodes' order. */
export function nodesServedBy(ctx: RuleContext, pod: PodModel): NodeModel[] {
  const byPod = getOrMake(clientsByContext, ctx, () => {
    const served = new Map<PodModel, NodeModel[]>();
    for (const node of ctx.nodes) {
      const own = podFor(ctx, node, 'kube-apiserver');
      if (own) getOrMake(served, own, () => []).push(node);
    }
    return served;
  });
  return byPod.get(pod) ?? [];
}

// Every component's pods across the tree, once per check (rules ask for every node of every API server).
const podsByContext = new WeakMap<RuleContext, Map<Component, PodModel[]>>();

function podsOf(ctx: RuleContext, component: Component): PodModel[] {
  return getOrMake(
    getOrMake(podsByContext, ctx, () => new Map()),
    component,
    () => ctx.nodes.map((n) => n.pods[component]).filter((p): p is PodModel => !!p),
  );
}

/**
 * The node name: kubelet --hostname-override, else the distribution's configured node name (k3s/RKE2 node-name), else
 * etc/hostname of the node (read by the check), else etcd's --name.
 */
export function nodeName(ctx: RuleContext, node: NodeModel): string | undefined {
  return nodeNameOf(node, ctx.hostname(node));
}

/** nodeName, given the node's etc/hostname: no file is read here. */
export function nodeNameOf(node: NodeModel, hostname: string | undefined): string | undefined {
  const override = kubeletRef(node, '--hostname-override')?.value;
  // An override the node expands (%H, $(NODE_NAME)) names a node kube-pki cannot know.
  if (override && unexpandedVariable(override)) return undefined;
  if (override) return override.toLowerCase();
  return node.nodeName ?? hostname ?? refOf(node.pods.etcd, '--name')?.value.toLowerCase();
}
