import { posix } from 'node:path';
import type { KubeconfigFile, NodeModel } from '../check/clusterModel';
import { kubeletRef, refOf } from '../check/clusterModel';
import type { RuleContext } from '../check/ruleContext';
import type { Reference } from '../kube/reference';

export interface KubeconfigUse {
  kubeconfig: KubeconfigFile;
  /** The component that runs with this kubeconfig, when known. */
  user?: 'kube-controller-manager' | 'kube-scheduler' | 'kube-proxy' | 'kubelet' | 'admin';
}

const BASENAME_USERS: Array<[RegExp, KubeconfigUse['user']]> = [
  [/^(kube-)?controller-manager(\.conf|\.kubeconfig)$/, 'kube-controller-manager'],
  [/^(kube-)?scheduler(\.conf|\.kubeconfig)$/, 'kube-scheduler'],
  [/^kube-proxy(\.conf|\.kubeconfig)$/, 'kube-proxy'],
  [/^kubelet(\.conf|\.kubeconfig)$/, 'kubelet'],
  // kubeadm's admin.conf and super-admin.conf, the hard way's admin.kubeconfig.
  [/^(super-)?admin(\.conf|\.kubeconfig)$/, 'admin'],
];

/** Where k3s and RKE2 write the cluster's admin kubeconfig. */
const ADMIN_PATHS = ['/etc/rancher/k3s/k3s.yaml', '/etc/rancher/rke2/rke2.yaml'];

/** Which component uses each kubeconfig: from the flags that name it, else from kubeadm's and the hard way's file names. */
export function kubeconfigUses(ctx: RuleContext, node: NodeModel): KubeconfigUse[] {
  const namedBy = new Map<string, KubeconfigUse['user']>();
  const note = (ref: Reference | undefined, user: KubeconfigUse['user']) => {
    const resolved = ref ? ctx.resolvedPath(ref) : undefined;
    if (resolved?.found) namedBy.set(resolved.path, user);
  };
  note(refOf(node.pods['kube-controller-manager'], '--kubeconfig'), 'kube-controller-manager');
  note(refOf(node.pods['kube-scheduler'], '--kubeconfig'), 'kube-scheduler');
  for (const ref of node.componentConfigs) note(ref, ref.component === 'kube-proxy' ? 'kube-proxy' : 'kube-scheduler');
  note(kubeletRef(node, '--kubeconfig'), 'kubelet');
  return node.kubeconfigs.map((kubeconfig) => {
    const base = posix.basename(kubeconfig.file);
    const byName =
      BASENAME_USERS.find(([pattern]) => pattern.test(base))?.[1] ??
      (kubeconfig.file.endsWith('/var/lib/kubelet/kubeconfig')
        ? 'kubelet'
        : kubeconfig.file.endsWith('/var/lib/kube-proxy/kubeconfig')
          ? 'kube-proxy'
          : ADMIN_PATHS.some((p) => kubeconfig.file.endsWith(p))
            ? 'admin'
            : undefined);
    return { kubeconfig, user: namedBy.get(kubeconfig.file) ?? byName };
  });
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
