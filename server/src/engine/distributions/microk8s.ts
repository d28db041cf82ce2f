import type { Distribution } from './distribution';

/** Where the snap keeps its data: /var/snap/microk8s/<revision> (`current` links the running one). */
const SNAP_ROOT = '/var/snap/microk8s/';
const DATA = '/var/snap/microk8s/current';

/** The components MicroK8s runs with flags from an args file, by the file's name (microk8s-resources/default-args). */
const ARGS_COMPONENTS = {
  'kube-apiserver': 'kube-apiserver',
  kubelet: 'kubelet',
  'kube-controller-manager': 'kube-controller-manager',
  'kube-scheduler': 'kube-scheduler',
  'kube-proxy': 'kube-proxy',
  etcd: 'etcd',
} as const;

export type ArgsComponent = (typeof ARGS_COMPONENTS)[keyof typeof ARGS_COMPONENTS];

/**
 * A MicroK8s args file (/var/snap/microk8s/<revision>/args/<component>) by its path alone, no setting:
 * the component it configures and the node paths its variables stand for. The snap's wrapper reads the
 * file as a bash array (`declare -a args="($(cat $SNAP_DATA/args/$app))"`), so ${SNAP_DATA} is the
 * revision folder the file lies in.
 */
export function microk8sArgsFile(path: string): { component: ArgsComponent; variables: Record<string, string> } | undefined {
  const at = path.lastIndexOf(SNAP_ROOT);
  if (at < 0) return undefined;
  const [revision, args, name, ...rest] = path.slice(at + SNAP_ROOT.length).split('/');
  if (!revision || args !== 'args' || rest.length > 0 || !Object.hasOwn(ARGS_COMPONENTS, name)) return undefined;
  const variables = { SNAP_DATA: `${SNAP_ROOT}${revision}`, SNAP: '/snap/microk8s/current', SNAP_COMMON: `${SNAP_ROOT}common` };
  return { component: ARGS_COMPONENTS[name as keyof typeof ARGS_COMPONENTS], variables };
}

/** A node path under current/ or a numbered revision folder, anchored at the end (a path, never file content). */
function inRevision(rest: string): RegExp {
  return new RegExp(`/microk8s/(?:current|\\d+)/${rest.replaceAll('.config', '\\.config')}$`);
}

/**
 * Certificate and key files a MicroK8s process loads from a folder without a flag naming them: k8s-dqlite reads
 * --storage-dir's cluster.crt and cluster.key (actions/common/utils.sh init_cluster: openssl req -x509, CN k8s, 3650 days).
 */
export const MICROK8S_UNNAMED_PAIRS: ReadonlyArray<{ cert: RegExp; key: string; what: string }> = [
  { cert: inRevision('var/kubernetes/backend/cluster\\.crt'), key: 'cluster.key', what: "k8s-dqlite's cluster.crt" },
];

const roleByPath: Record<string, string> = {};
// MicroK8s's own names for its files (scripts/wrappers/common/utils.py, microk8s-resources/actions/common/utils.sh).
for (const name of ['ca', 'front-proxy-ca', 'server', 'front-proxy-client', 'client', 'controller', 'scheduler', 'proxy', 'kubelet'])
  roleByPath[`${DATA}/certs/${name}.crt`] = name;

/**
 * MicroK8s: the snap's certs/ (one CA for the cluster, one for the front proxy, server.crt serving the API
 * and presented to kubelets, a client certificate per component), credentials/*.config kubeconfigs with the
 * certificates embedded, and args/ files holding each component's flags, one a line.
 */
export const MICROK8S: Distribution = {
  id: 'microk8s',
  signatures: [`${DATA}/certs/ca.crt`, `${DATA}/args/kube-apiserver`],
  layoutDirs: ['var/snap/microk8s'],
  // In current/ or a copied revision folder (/var/snap/microk8s/7229/credentials/...).
  kubeconfigUsers: [
    { pathPattern: inRevision('credentials/client.config'), user: 'admin' },
    { pathPattern: inRevision('credentials/controller.config'), user: 'kube-controller-manager' },
    { pathPattern: inRevision('credentials/scheduler.config'), user: 'kube-scheduler' },
    { pathPattern: inRevision('credentials/proxy.config'), user: 'kube-proxy' },
    { pathPattern: inRevision('credentials/kubelet.config'), user: 'kubelet' },
  ],
  // The components' users are kubeadm's (system:kube-controller-manager...); admin and kubelet have their own rules.
  identities: {},
  roleByFlag: {},
  roleByPath,
  // The same names in a revision folder; k8s-dqlite's cluster.crt (self-signed, made by the snap's configure hook) by its place.
  roleByPattern: [
    [inRevision('certs/(ca|front-proxy-ca|server|front-proxy-client|client|controller|scheduler|proxy|kubelet)\\.crt'), '$1'],
    [inRevision('var/kubernetes/backend/(cluster)\\.crt'), 'k8s-dqlite $1'],
  ],
  builtIn: [],
  // utils.sh gen_server_cert / gen_proxy_client_cert sign server.crt and front-proxy-client.crt `-days 365`; the components'
  // client certificates (utils.py rebuild_x509_auth_client_configs, embedded in credentials/*.config) live 3650 days.
  // The snap writes the kubelet's certificate itself.
  renewal: { leafDays: 3650, leafDaysByName: { 'server.crt': 365, 'front-proxy-client.crt': 365 }, appendsChain: false, kubeletRenewsOwn: false },
};
