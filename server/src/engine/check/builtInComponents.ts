import { posix } from 'node:path';
import { BuiltInFlag, DISTRIBUTIONS, Distribution } from '../distributions';
import { flagSpec } from '../kube/flagTable';
import type { NodeParts } from '../kube/kinds';
import type { Reference } from '../kube/reference';

/** The files of a tree that say a distribution laid out a node (a k3s server/tls holds no configuration file, yet is a node's). */
export function distributionSignatures(files: readonly string[]): string[] {
  const signatures = DISTRIBUTIONS.filter((d) => d.id !== 'kubeadm').flatMap((d) => d.signatures);
  return files.filter((file) => signatures.some((s) => file.endsWith(s)));
}

/**
 * The components a distribution runs in its own process (k3s's API server, etcd, kubelet...) as the flags it
 * passes them, each held by the file it names (a finding lands on that file's first line): the rules check them
 * as they check a static pod's. A file the layout lacks is left out (nothing on the node names it).
 */
export function addBuiltInComponents(node: NodeParts & { root: string; distribution: Distribution }, exists: (path: string) => boolean): void {
  // A copy found by its content is read with its own table, paths relative to the copy (the node's distribution is the copy's).
  const distribution = node.distribution;
  const byComponent = new Map<BuiltInFlag['component'], BuiltInFlag[]>();
  for (const flag of distribution.builtIn) byComponent.set(flag.component, [...(byComponent.get(flag.component) ?? []), flag]);
  for (const [component, flags] of byComponent) {
    // A manifest (RKE2's static pods) that names a file of the table says where the files are; one that names
    // none (RKE2's etcd: --config-file) runs with the table's.
    const own = component === 'kubelet' ? node.kubelet : node.pods[component]?.references;
    if (own?.some((r) => flags.some((f) => f.flag === r.spec.name))) continue;
    const files = flags.filter((f) => f.value.startsWith('/') && exists(posix.join(node.root, f.value)));
    if (files.length === 0) continue;
    const holderOf = (f: BuiltInFlag) => posix.join(node.root, (f.value.startsWith('/') ? f : files[0]).value);
    const references = flags
      .filter((f) => !f.value.startsWith('/') || files.includes(f))
      .map((f) => (f.flag === '--service-cluster-ip-range' && node.serviceCidr ? { ...f, value: node.serviceCidr } : f))
      .flatMap((f) => builtInReference(f, holderOf(f), distribution.id));
    const pod = component === 'kubelet' ? undefined : node.pods[component];
    if (component === 'kubelet') node.kubelet.push(...references);
    else if (pod) pod.references.push(...references);
    else node.pods[component] = { component, file: holderOf(files[0]), references, container: { name: component, mounts: [] } };
  }
}

function builtInReference(flag: BuiltInFlag, holder: string, by: string): Reference[] {
  const spec = flagSpec(flag.component, flag.flag);
  if (!spec) return [];
  const at = { line: 0, character: 0 };
  return [{ file: holder, component: flag.component, name: flag.flag, role: spec.role, spec, value: flag.value, range: { start: at, end: at }, builtInBy: by }];
}
