import { posix } from 'node:path';
import { Distribution, detectDistribution, distributionOfPath, namesCopyFile, RancherCopy, rancherCopies } from '../distributions';
import { isBackupPath } from '../io/safeWrite';
import type { ConfigFile } from '../kube/configFile';
import { flagSpec } from '../kube/flagTable';
import type { KubeconfigFile, NodeParts, PodModel } from '../kube/kinds';
import { kindOfDocument } from '../kube/kinds';
import { guessNodeRoot } from '../kube/nodePaths';
import type { Reference } from '../kube/reference';
import { getOrMake } from '../memo';
import { addBuiltInComponents, distributionSignatures } from './builtInComponents';

export type { KubeconfigFile, PodModel };

/** Everything found for one node (one folder standing for /): the components and the files they name. */
export interface NodeModel extends NodeParts {
  root: string;
  /**
   * Files a component uses without naming them: a kubelet without tlsCertFile
   * serves <cert-dir>/kubelet.crt. Resolved like references, but only the trust
   * edges read them (nothing is reported on a line that does not exist).
   */
  implicit: Reference[];
  /** A k3s/RKE2 tree recognised by its content away from its canonical path (a copied data dir): the node's root is the copy's. */
  copy?: RancherCopy;
  /** Who laid the node out, decided once: the copy's table, else by the signature files under its root (kubeadm when none). */
  distribution: Distribution;
}

/**
 * Groups the parsed config files into nodes. A file belongs to the node whose
 * root its location implies (DIR/etc/kubernetes/... and DIR/var/lib/kubelet/...
 * both belong to DIR); with an explicit root every file belongs to it.
 */
export function buildNodes(configFiles: ConfigFile[], boundary: string, explicitRoot?: string, files: readonly string[] = []): NodeModel[] {
  const nodes = new Map<string, NodeModel>();
  const copies = explicitRoot ? [] : rancherCopies(files);
  const listedSet = new Set(files);
  const probed = new Set<string>();
  const listed = { has: (path: string) => (probed.add(path), listedSet.has(path)) };
  const nodeFor = (file: string): NodeModel => {
    const root = explicitRoot ?? copyOf(copies, file)?.root ?? guessNodeRoot(file, boundary);
    let node = nodes.get(root);
    if (!node) {
      const copy = copies.find((c) => c.root === root);
      node = {
        root,
        pods: {},
        kubelet: [],
        componentConfigs: [],
        kubeconfigs: [],
        certSANs: [],
        opensslConfigs: [],
        talosMachineConfigs: [],
        talosconfigs: [],
        implicit: [],
        distribution: copy?.distribution ?? detectDistribution(root, (path) => listed.has(path)),
      };
      if (copy) node.copy = copy;
      nodes.set(root, node);
    }
    return node;
  };
  for (const config of configFiles) {
    // kube-pki's own NAME.bak-<time> copies (renew, quick fixes) configure nothing: admin.conf.bak is not a second admin.conf.
    if (isBackupPath(config.path)) continue;
    const node = nodeFor(config.path);
    node.kubelet.push(...config.envReferences);
    // Each kind knows where its documents go (a pod, the kubelet's references, a kubeconfig...).
    for (const doc of config.documents) kindOfDocument(doc).addToNode?.(node, doc, config.path);
  }
  // A k3s or RKE2 node is a node by its files alone (server/tls), its in-process components by its distribution's table.
  for (const file of distributionSignatures(files)) nodeFor(file);
  for (const copy of copies) nodeFor(`${copy.root}/`);
  for (const node of nodes.values()) addBuiltInComponents(node, (path) => listed.has(path));
  for (const node of nodes.values()) addImplicitKubeletCert(node);
  const built = [...nodes.values()].sort((a, b) => a.root.localeCompare(b.root));
  listingReads.set(built, probed);
  return built;
}

/**
 * Whether buildNodes makes the same nodes with `after` in place of `before` (the same path): neither adds anything to
 * its node (no env references, only nodeless documents), so the file counts only by its path, which names the node.
 */
export function sameNodeParts(before: ConfigFile, after: ConfigFile): boolean {
  const inert = (config: ConfigFile) => config.envReferences.length === 0 && config.documents.every((doc) => kindOfDocument(doc).nodeless === true);
  return before === after || (before.path === after.path && inert(before) && inert(after));
}

/** The paths each model's buildNodes asked the listing about (beyond its whole-listing scans by file name). */
const listingReads = new WeakMap<readonly NodeModel[], ReadonlySet<string>>();

/**
 * Whether `nodes`, built from one listing, are those the same config files make in another that differs by `changed`
 * (paths added or removed): buildNodes reads of the listing only the paths it asked about, the supervisor's file names
 * (rancherCopies) and the distributions' signature files. A removed certificate elsewhere keeps the model.
 */
export function nodesHold(nodes: readonly NodeModel[], changed: ReadonlySet<string>): boolean {
  const probed = listingReads.get(nodes);
  if (!probed) return false;
  const paths = [...changed];
  return !paths.some((path) => probed.has(path) || namesCopyFile(path)) && distributionSignatures(paths).length === 0;
}

/** The node holding a file: the deepest root it lies under (a copy inside a checked node's folder is its own node). */
export function nodeOfPath(nodes: readonly NodeModel[], path: string): NodeModel | undefined {
  return deepestHolding(nodes, path);
}

/** Of folders that may nest (nodes, copies), the deepest whose root holds the path. */
function deepestHolding<T extends { root: string }>(holders: readonly T[], path: string): T | undefined {
  let found: T | undefined;
  for (const holder of holders) if (path.startsWith(`${holder.root}/`) && (!found || holder.root.length > found.root.length)) found = holder;
  return found;
}

/**
 * The distribution a file of the tree belongs to, as the check decided its node's (a k3s support bundle is k3s by its
 * content). Kubeadm is detection's answer when no signature file is there: then, or when no node holds the file (loose
 * PEM files), the file's layout folder is all there is to go by (a MicroK8s revision folder, /srv/kubernetes).
 */
export function distributionOf(nodes: readonly NodeModel[], path: string): Distribution {
  return getOrMake(
    getOrMake(distributionsOfModel, nodes, () => new Map()),
    path,
    () => {
      const decided = nodeOfPath(nodes, path)?.distribution;
      return decided && decided.id !== 'kubeadm' ? decided : distributionOfPath(path);
    },
  );
}

// Asked for each CA of the tree on every check (the fixes' signers): the nodes are searched once per model and path.
const distributionsOfModel = new WeakMap<readonly NodeModel[], Map<string, Distribution>>();

/** The copy a file lies in (the deepest, when one holds another). */
function copyOf(copies: RancherCopy[], file: string): RancherCopy | undefined {
  return deepestHolding(copies, file);
}

const DEFAULT_KUBELET_CERT_DIR = '/var/lib/kubelet/pki';

function addImplicitKubeletCert(node: NodeModel): void {
  const config = node.kubelet.find((r) => r.spec.name === 'authentication.x509.clientCAFile' || r.spec.name === '--client-ca-file');
  if (!config || node.kubelet.some((r) => r.spec.name === 'tlsCertFile' || r.spec.name === '--tls-cert-file')) return;
  const certDir = node.kubelet.find((r) => r.spec.name === '--cert-dir')?.value ?? DEFAULT_KUBELET_CERT_DIR;
  const spec = flagSpec('kubelet', 'tlsCertFile')!;
  const at = { line: 0, character: 0 };
  node.implicit.push({
    file: config.file,
    component: 'kubelet',
    name: `tlsCertFile (default ${certDir}/kubelet.crt)`,
    role: spec.role,
    spec,
    value: posix.join(certDir, 'kubelet.crt'),
    range: { start: at, end: at },
  });
}

// Rules ask for every node's references many times per check; a node is complete once built.
const referencesOfNode = new WeakMap<NodeModel, Reference[]>();

/** Every reference of a node, in file order. The array is shared: do not change it. */
export function nodeReferences(node: NodeModel): Reference[] {
  return getOrMake(referencesOfNode, node, () => collectReferences(node));
}

function collectReferences(node: NodeModel): Reference[] {
  return [
    ...Object.values(node.pods).flatMap((p) => p!.references),
    ...node.kubelet,
    ...node.componentConfigs,
    ...node.kubeconfigs.flatMap((k) => k.references),
    ...node.talosMachineConfigs.flatMap((t) => t.document.references),
    ...node.talosconfigs.flatMap((t) => t.document.references),
  ];
}

export function refOf(pod: PodModel | undefined, name: string): Reference | undefined {
  return pod?.references.find((r) => r.spec.name === name);
}

export function kubeletRef(node: NodeModel, ...names: string[]): Reference | undefined {
  for (const name of names) {
    const found = node.kubelet.find((r) => r.spec.name === name) ?? node.implicit.find((r) => r.spec.name === name);
    if (found) return found;
  }
  return undefined;
}
