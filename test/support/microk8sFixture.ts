// A MicroK8s node as the snap writes it: certs/ from produce_certs (microk8s-resources/actions/common/utils.sh: RSA keys,
// ca.crt CN=10.152.183.1, server.crt from csr.conf, front-proxy-client.crt), the components' client certificates
// (scripts/wrappers/common/utils.py rebuild_x509_auth_client_configs: openssl x509 -req without an extension file, 3650 days),
// credentials/*.config with those certificates embedded, and args/ files whose paths start with ${SNAP_DATA}.
import { FixtureTree, kubeconfig, Tree } from './fixtureParts';
import { OpensslWorkspace } from './openssl';

export interface Microk8sNodeOptions {
  hostname?: string;
  nodeIp?: string;
  /** The revision folder the snap's data lies in; `current` (the link a copied tree usually holds) when not given. */
  revision?: string;
}

/** The data folder of the snap (${SNAP_DATA}), relative to the node's /. */
export const snapData = (revision = 'current') => `var/snap/microk8s/${revision}`;

/** microk8s-resources/certs/csr.conf.template: the API server's profile, #MOREIPS replaced by the host's addresses. */
const CSR_TEMPLATE = `[ req ]
default_bits = 2048
prompt = no
default_md = sha256
req_extensions = req_ext
distinguished_name = dn

[ dn ]
C = "US"
ST = "Isles of Blessed"
L = "Arkadia"
O = acme
OU = dev
CN = 127.0.0.1

[ req_ext ]
subjectAltName = @alt_names

[ alt_names ]
DNS.1 = kubernetes
DNS.2 = kubernetes.default
DNS.3 = kubernetes.default.svc
DNS.4 = kubernetes.default.svc.cluster
DNS.5 = kubernetes.default.svc.cluster.local
IP.1 = 127.0.0.1
IP.2 = 10.152.183.1
#MOREIPS

[ v3_ext ]
authorityKeyIdentifier=keyid,issuer:always
basicConstraints=CA:FALSE
keyUsage=keyEncipherment,dataEncipherment,digitalSignature
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=@alt_names
`;

/** The v3_ext section of csr.conf, as -extfile lines: server.crt and front-proxy-client.crt both carry it. */
function v3Ext(ips: string[]): string[] {
  const dns = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster', 'kubernetes.default.svc.cluster.local'];
  return [
    'authorityKeyIdentifier=keyid,issuer:always',
    'basicConstraints=CA:FALSE',
    'keyUsage=keyEncipherment,dataEncipherment,digitalSignature',
    'extendedKeyUsage=serverAuth,clientAuth',
    `subjectAltName=${[...dns.map((d) => `DNS:${d}`), ...['127.0.0.1', '10.152.183.1', ...ips].map((ip) => `IP:${ip}`)].join(',')}`,
  ];
}

/** The default args files (microk8s-resources/default-args), with the flags rebuild_x509_auth_client_configs sets. */
function argsFiles(): Record<string, string[]> {
  const certs = '${SNAP_DATA}/certs';
  return {
    'kube-apiserver': [
      `--cert-dir=${certs}`,
      '--service-cluster-ip-range=10.152.183.0/24',
      '--authorization-mode=RBAC,Node',
      `--service-account-key-file=${certs}/serviceaccount.key`,
      `--client-ca-file=${certs}/ca.crt`,
      `--tls-cert-file=${certs}/server.crt`,
      `--tls-private-key-file=${certs}/server.key`,
      `--kubelet-client-certificate=${certs}/server.crt`,
      `--kubelet-client-key=${certs}/server.key`,
      '--secure-port=16443',
      '--etcd-servers="unix://${SNAP_DATA}/var/kubernetes/backend/kine.sock:12379"',
      "--service-account-issuer='https://kubernetes.default.svc'",
      `--service-account-signing-key-file=${certs}/serviceaccount.key`,
      '--event-ttl=5m',
      '--profiling=false',
      '',
      '# Enable the aggregation layer',
      `--requestheader-client-ca-file=${certs}/front-proxy-ca.crt`,
      '--requestheader-allowed-names=front-proxy-client',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-username-headers=X-Remote-User',
      `--proxy-client-cert-file=${certs}/front-proxy-client.crt`,
      `--proxy-client-key-file=${certs}/front-proxy-client.key`,
      '#~Enable the aggregation layer',
      `--kubelet-certificate-authority=${certs}/ca.crt`,
    ],
    kubelet: [
      '--kubeconfig=${SNAP_DATA}/credentials/kubelet.config',
      `--cert-dir=${certs}`,
      `--client-ca-file=${certs}/ca.crt`,
      '--anonymous-auth=false',
      '--root-dir=${SNAP_COMMON}/var/lib/kubelet',
      '--fail-swap-on=false',
      '--eviction-hard="memory.available<100Mi,nodefs.available<1Gi,imagefs.available<1Gi"',
      '--container-runtime-endpoint=${SNAP_COMMON}/run/containerd.sock',
      '--node-labels="microk8s.io/cluster=true,node.kubernetes.io/microk8s-controlplane=microk8s-controlplane"',
      '--authentication-token-webhook=true',
      '--read-only-port=0',
    ],
    'kube-controller-manager': [
      '--kubeconfig=${SNAP_DATA}/credentials/controller.config',
      `--service-account-private-key-file=${certs}/serviceaccount.key`,
      `--root-ca-file=${certs}/ca.crt`,
      `--cluster-signing-cert-file=${certs}/ca.crt`,
      `--cluster-signing-key-file=${certs}/ca.key`,
      '--use-service-account-credentials',
      '--leader-elect-lease-duration=60s',
      '--leader-elect-renew-deadline=30s',
      '--profiling=false',
    ],
    'kube-scheduler': ['--kubeconfig=${SNAP_DATA}/credentials/scheduler.config', '--leader-elect-lease-duration=60s', '--profiling=false'],
    'kube-proxy': ['--kubeconfig=${SNAP_DATA}/credentials/proxy.config', '--cluster-cidr=10.1.0.0/16', '--healthz-bind-address=127.0.0.1', '--profiling=false'],
    'k8s-dqlite': ['--storage-dir=${SNAP_DATA}/var/kubernetes/backend/', '--listen=unix://${SNAP_DATA}/var/kubernetes/backend/kine.sock:12379'],
  };
}

/** The components' client certificates and the kubeconfig each is embedded in (credentials/<name>.config). */
function clients(hostname: string): Array<[string, string]> {
  return [
    ['client', '/O=system:masters/CN=admin'],
    ['controller', '/CN=system:kube-controller-manager'],
    ['proxy', '/CN=system:kube-proxy'],
    ['scheduler', '/CN=system:kube-scheduler'],
    ['kubelet', `/O=system:nodes/CN=system:node:${hostname}`],
  ];
}

/** A single-node MicroK8s under root. */
export function makeMicrok8sNode(root: string, options: Microk8sNodeOptions = {}): FixtureTree {
  const hostname = options.hostname ?? 'mk8s-1';
  const nodeIp = options.nodeIp ?? '192.168.10.30';
  const data = snapData(options.revision);
  const tree = new Tree(root);
  const ws = new OpensslWorkspace();
  const put = (name: string, key = false) => (key ? tree.secret : tree.write).call(tree, `${data}/certs/${name}`, ws.read(name));
  try {
    // `openssl genrsa` keys (PKCS#8 from OpenSSL 3), CAs from `openssl req -x509` with the default v3_ca extensions.
    const rsa = (name: string) => ws.rsaKey(`${name}.key`, 2048, false);
    for (const name of ['serviceaccount', 'ca', 'server', 'front-proxy-ca', 'front-proxy-client']) rsa(name);
    ws.ca('ca', '/CN=10.152.183.1', { key: ws.path('ca.key'), extra: [] });
    ws.ca('front-proxy-ca', '/CN=front-proxy-ca', { key: ws.path('front-proxy-ca.key'), extra: [] });
    const subject = '/C=US/ST=Isles of Blessed/L=Arkadia/O=acme/OU=dev/CN=127.0.0.1';
    ws.signed('server', subject, 'ca', v3Ext([nodeIp]), { key: ws.path('server.key') });
    ws.signed('front-proxy-client', '/CN=front-proxy-client', 'front-proxy-ca', v3Ext([nodeIp]), { key: ws.path('front-proxy-client.key') });
    for (const name of ['ca', 'server', 'front-proxy-ca', 'front-proxy-client']) put(`${name}.crt`);
    for (const name of ['serviceaccount', 'ca', 'server', 'front-proxy-ca', 'front-proxy-client']) put(`${name}.key`, true);
    tree.write(`${data}/certs/csr.conf.template`, CSR_TEMPLATE);
    tree.write(`${data}/certs/csr.conf`, CSR_TEMPLATE.replace('#MOREIPS', `IP.3 = ${nodeIp}`));
    const caPem = ws.read('ca.crt');
    for (const [name, who] of clients(hostname)) {
      rsa(name);
      ws.signed(name, who, 'ca', [], { key: ws.path(`${name}.key`), days: 3650 });
      put(`${name}.crt`);
      put(`${name}.key`, true);
      const user = who.slice(who.lastIndexOf('CN=') + 3);
      const text = kubeconfig('microk8s-cluster', 'https://127.0.0.1:16443', caPem, user, ws.read(`${name}.crt`), ws.read(`${name}.key`), 'microk8s');
      tree.secret(`${data}/credentials/${name}.config`, text);
    }
    for (const [name, lines] of Object.entries(argsFiles())) tree.write(`${data}/args/${name}`, `${lines.join('\n')}\n`);
    // k8s-dqlite's own pair (utils.sh init_cluster: openssl req -x509 -newkey rsa:4096 -days 3650 -subj /CN=k8s, csr-dqlite.conf's v3_ext).
    rsa('cluster');
    const dqlite = ['basicConstraints=CA:FALSE', 'keyUsage=keyEncipherment,dataEncipherment,digitalSignature', 'extendedKeyUsage=serverAuth,clientAuth'];
    ws.ca('cluster', '/CN=k8s', { key: ws.path('cluster.key'), extra: [...dqlite, `subjectAltName=DNS:${hostname},IP:${nodeIp}`] });
    tree.write(`${data}/var/kubernetes/backend/cluster.crt`, ws.read('cluster.crt'));
    tree.secret(`${data}/var/kubernetes/backend/cluster.key`, ws.read('cluster.key'));
  } finally {
    ws.dispose();
  }
  return tree.result();
}
