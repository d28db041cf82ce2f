import type { Node } from 'yaml';
import type { Range } from '../../text/lineIndex';
import type { Component } from '../flagTable';
import type { ContainerMounts, Reference } from '../reference';
import type { YamlFile } from '../yamlFile';
import type { KubeconfigModel } from './kubeconfig';
import type { OpensslConfig } from './opensslProfile';
import type { TalosconfigDocument } from './talosconfig';
import type { TalosMachineConfigDocument } from './talosMachineConfig';

/**
 * A kind of file or document kube-pki understands. Each kind is one module of
 * this folder, listed once in index.ts: the check (parseConfigText), the
 * cluster model, the completion and the outline find kinds there, so a new
 * kind is one module and one line in the list.
 */
export type DocumentKind<D = unknown> = TextKind<D> | YamlKind<D>;

/** A file that is one syntax as a whole (kubeadm-flags.env, a systemd unit, an openssl profile, PEM): told by its text. */
export interface TextKind<D = unknown> extends KindBase<D> {
  syntax: 'text';
  /** Runs on every file of a tree, and on a too-large file's head: linear, no regex that backtracks over a run of blanks. A kind may know its files by path. */
  detect(text: string, path: string): boolean;
  /** What the file yields; undefined when it is not configuration after all (a unit that runs no component, a PEM file). */
  read(text: string, path: string): ConfigContent<D> | undefined;
}

/** A YAML (or JSON) document: told by its parsed `kind` / `apiVersion` (and top-level keys). */
export interface YamlKind<D = unknown> extends KindBase<D> {
  syntax: 'yaml';
  /** Cheap: looks at the parsed head only. The first kind (in list order) that claims a document reads it. */
  detect(head: YamlHead): boolean;
  /** What a file's text must hold for this kind to read anything of it: the check parses no file that holds none of any kind's (contentTriggers.ts). */
  triggers: ContentTriggers;
  /** The document's references and facts; undefined when it is not of the kind after all (a Pod running no component). */
  read(file: YamlFile, root: unknown, path: string): D | undefined;
  /** The names its document looks up among other kinds' joined-only objects (a clientConfig's Service name). */
  lookups?(doc: D): string[];
  /** Where the document writes a component's flags (a static pod's command and args): completion offers flags there. */
  flagSites?(root: unknown, doc: D): FlagSite[];
}

/**
 * Necessary text for a YAML kind, as plain strings (a file is parsed when ANY kind's triggers hold): a `kind:` value it
 * reads, with strings of which the file must also hold one ([]: the kind alone suffices), or a string that admits the file
 * whatever its kinds (a kubeconfig without `kind:`, an apiVersion). A superset is safe; a missing string loses findings.
 */
export interface ContentTriggers {
  kinds: Readonly<Record<string, readonly string[]>>;
  strings: readonly string[];
  /**
   * Of `kinds`, those read only to be found by name from another document (a webhook's clientConfig.service names a
   * Service): a file admitted by these alone is parsed only when it holds a name some document looks up (`lookups`).
   */
  joinedOnly?: readonly string[];
}

interface KindBase<D> {
  /** The `kind` tag of the documents it yields. */
  id: string;
  /** Puts one of its documents where the rules look for it in the node of its file (kinds that yield no documents have none). */
  addToNode?(node: NodeParts, doc: D, file: string): void;
  /**
   * Its documents go to no node (addToNode adds nothing): a file holding only these can change without the nodes
   * being built again (a keystroke in an open Secret of a large tree).
   */
  nodeless?: true;
}

export interface YamlHead {
  /** The document's root node. */
  root: unknown;
  kind?: string;
  apiVersion: string;
}

/** What a config file yields. */
export interface ConfigContent<D = unknown> {
  documents: D[];
  /** References outside documents (kubeadm-flags.env). */
  envReferences: Reference[];
}

export interface FlagSite {
  component: Component;
  /** The scalar items that hold `--flag=value` words. */
  items: Node[];
}

export interface PodModel {
  component: Component;
  file: string;
  references: Reference[];
  container: ContainerMounts;
}

export interface KubeconfigFile {
  file: string;
  model: KubeconfigModel;
  references: Reference[];
}

/** What the files of a node add to it (check/clusterModel's NodeModel is this, with its root and implicit files). */
export interface NodeParts {
  pods: Partial<Record<Component, PodModel>>;
  /** KubeletConfiguration fields and kubelet flags (kubeadm-flags.env). */
  kubelet: Reference[];
  /** kube-proxy / scheduler component-config references. */
  componentConfigs: Reference[];
  kubeconfigs: KubeconfigFile[];
  /** Extra names the API server's serving certificate must carry (kubeadm certSANs, k3s tls-san): why, and the line that says so. */
  certSANs: Array<{ value: string; range: Range; file: string; why?: string; at?: Reference }>;
  opensslConfigs: Array<{ file: string; config: OpensslConfig }>;
  /** Talos machine configurations and talosconfigs: their inline CAs, keys and client certificates. */
  talosMachineConfigs: Array<{ file: string; document: TalosMachineConfigDocument }>;
  talosconfigs: Array<{ file: string; document: TalosconfigDocument }>;
  dnsDomain?: string;
  /** The service CIDR a distribution's own configuration sets (k3s/RKE2 service-cidr), for the API server it runs in-process. */
  serviceCidr?: string;
  /** The node name a distribution's own configuration sets (k3s/RKE2 node-name: its in-process kubelet's --hostname-override). */
  nodeName?: string;
}
