/** Who runs with a kubeconfig: a component, the cluster's admin, or a distribution's own controller. */
export type KubeconfigUser = string;

/** The subject a client certificate must carry for RBAC (and the Node authorizer) to give its user its permissions. */
export interface ExpectedIdentity {
  cn: string;
  /** Groups that must be among the certificate's O values. */
  orgs?: string[];
}

/** A flag a distribution passes to a component it runs in its own process: a node without that component's manifest gets it. */
export interface BuiltInFlag {
  /** One of kube/flagTable's components (this layer sits below kube, so it names them itself). */
  component: 'kube-apiserver' | 'etcd' | 'kube-controller-manager' | 'kube-scheduler' | 'kubelet';
  flag: string;
  /** A node path (absolute) for a file, else the setting's value. */
  value: string;
}

/** How the distribution issues a leaf: what `kube-pki renew` and the quick fixes that re-issue one do the same way. */
export interface RenewalProfile {
  /** Days a re-issued leaf lives. */
  leafDays: number;
  /** Other lifetimes by file name (MicroK8s's server.crt lives 365 days where its client certificates live 3650). */
  leafDaysByName?: Record<string, number>;
  /** The issuing CA's certificates follow the leaf in its file (k3s and RKE2 write leaf + CA). */
  appendsChain: boolean;
  /** The kubelet renews its own certificates (kubeadm's rotation); false where the distribution issues them itself. */
  kubeletRenewsOwn: boolean;
  /** A CA key named after its certificate other than <name>.key: [certificate suffix, key suffix] (kubespray's ca.pem, ca-key.pem). */
  caKeySuffix?: [string, string];
  /**
   * The service that runs the node's components (k3s's in its process, RKE2's static pods): restarted to load renewed
   * files instead of each component; `server` where the node runs an API server, else `agent`.
   */
  services?: { server: string; agent: string };
}

/**
 * What a distribution writes and expects, as data: the rules read this table, never a distribution's name.
 * Paths are node paths (absolute, as on the node); the check finds them under the folder standing for /.
 */
export interface Distribution {
  id: 'kubeadm' | 'k3s' | 'rke2' | 'talos' | 'kubespray' | 'package-install' | 'microk8s';
  /** Files whose presence under a node's / says the node is laid out by this distribution. */
  signatures: string[];
  /** Folders of the node the distribution keeps its cluster files in (a node root's reads, the node a file belongs to). */
  layoutDirs: string[];
  /** Files of the node outside those folders (kubespray's /etc/etcd.env): their place says where the node's / is. */
  layoutFiles?: string[];
  /** Kubeconfigs by their file name (a pattern), node path or a pattern of the path (MicroK8s's revision folders), and who runs with each. */
  kubeconfigUsers: Array<{ base?: RegExp; path?: string; pathPattern?: RegExp; user: KubeconfigUser }>;
  /** The identity each user's client certificate carries (kubelet and admin are judged by their own rules). */
  identities: Record<KubeconfigUser, ExpectedIdentity>;
  /** `kube-pki expiry`'s role names by "component flag". */
  roleByFlag: Record<string, string>;
  /** `kube-pki expiry`'s role names by node path of the certificate file. */
  roleByPath: Record<string, string>;
  /** Roles of per-host file names (kubespray's member-<host>.pem): a node path pattern, its role with `$1` for the host. */
  roleByPattern?: Array<[RegExp, string]>;
  /** Flags of the components the distribution runs itself (no manifest names their files). */
  builtIn: BuiltInFlag[];
  renewal: RenewalProfile;
}
