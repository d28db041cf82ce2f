import type { KubeconfigFile, NodeModel } from '../check/clusterModel';
import { kubeletRef, refOf } from '../check/clusterModel';
import type { RuleContext } from '../check/ruleContext';
import { KubeconfigUser, kubeconfigUserInCopy, kubeconfigUserOf } from '../distributions';
import type { Reference } from '../kube/reference';

export interface KubeconfigUse {
  kubeconfig: KubeconfigFile;
  /** Who runs with this kubeconfig (a component, admin, a distribution's controller), when known. */
  user?: KubeconfigUser;
}

/** Which component uses each kubeconfig: from the flags that name it, else from where the distributions' tables put it. */
export function kubeconfigUses(ctx: RuleContext, node: NodeModel): KubeconfigUse[] {
  const namedBy = new Map<string, KubeconfigUser>();
  const note = (ref: Reference | undefined, user: KubeconfigUser) => {
    const resolved = ref ? ctx.resolvedPath(ref) : undefined;
    if (resolved?.found) namedBy.set(resolved.path, user);
  };
  note(refOf(node.pods['kube-controller-manager'], '--kubeconfig'), 'kube-controller-manager');
  note(refOf(node.pods['kube-scheduler'], '--kubeconfig'), 'kube-scheduler');
  for (const ref of node.componentConfigs) note(ref, ref.component === 'kube-proxy' ? 'kube-proxy' : 'kube-scheduler');
  note(kubeletRef(node, '--kubeconfig'), 'kubelet');
  const byPlace = (file: string) => (node.copy && kubeconfigUserInCopy(node.copy, file)) || kubeconfigUserOf(file);
  return node.kubeconfigs.map((kubeconfig) => ({ kubeconfig, user: namedBy.get(kubeconfig.file) ?? byPlace(kubeconfig.file) }));
}

/** The users a kubeconfig actually authenticates as: the current context's, or all when there is none. */
export function activeUserRefs(kubeconfig: KubeconfigFile, field: 'client-certificate' | 'client-key'): Reference[] {
  const current = kubeconfig.model.contexts.find((c) => c.name === kubeconfig.model.currentContext?.name);
  return kubeconfig.references.filter((r) => (r.spec.name === field || r.spec.name === `${field}-data`) && (!current?.user || r.owner === current.user));
}

export function activeClusterRefs(kubeconfig: KubeconfigFile, field: string): Reference[] {
  const current = kubeconfig.model.contexts.find((c) => c.name === kubeconfig.model.currentContext?.name);
  return kubeconfig.references.filter((r) => (r.spec.name === field || r.spec.name === `${field}-data`) && (!current?.cluster || r.owner === current.cluster));
}
