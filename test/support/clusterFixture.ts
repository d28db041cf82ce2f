import { b64, CA_DAYS, CA_EXTENSIONS, FixtureTree, hostPort, KUBELET_CLIENT_PEM, kubeconfig, leafExtensions, nthAddress, Tree, toYaml } from './fixtureParts';
import { KubeadmFacts, writeApiserverManifest, writeControllerManagerManifest, writeEtcdManifest, writeSchedulerManifest } from './kubeadmManifests';
import { OpensslWorkspace, openssl } from './openssl';

export interface KubeadmNodeOptions {
  /** Default 'cp-1'. */
  nodeName?: string;
  /** Default '192.168.10.10'. */
  advertiseAddress?: string;
  /** Default '10.96.0.0/12'; with a dual-stack list kubeadm uses the first CIDR. */
  serviceCidr?: string;
  /** Default 'cluster.local'. */
  dnsDomain?: string;
  /** Leaf validity in days, default 365 (kubeadm's CertificateValidityPeriod). */
  days?: number;
}

/** The three CAs, their leaves and the service-account key, made by openssl in the flat workspace. */
function issueKubeadmPki(ws: OpensslWorkspace, facts: KubeadmFacts): void {
  const { node, adv, serviceCidr, dnsDomain, days } = facts;
  // The workspace is flat, so etcd's files get an "etcd-" prefix there and move under pki/etcd/ below.
  ws.ca('ca', '/CN=kubernetes', { days: CA_DAYS, extra: [...CA_EXTENSIONS, 'subjectAltName=DNS:kubernetes'] });
  ws.ca('front-proxy-ca', '/CN=front-proxy-ca', { days: CA_DAYS, extra: [...CA_EXTENSIONS, 'subjectAltName=DNS:front-proxy-ca'] });
  ws.ca('etcd-ca', '/CN=etcd-ca', { days: CA_DAYS, extra: [...CA_EXTENSIONS, 'subjectAltName=DNS:etcd-ca'] });
  const apiserverSans = [
    `DNS:${node}`,
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    `DNS:kubernetes.default.svc.${dnsDomain}`,
    `IP:${nthAddress(serviceCidr, 1)}`,
    `IP:${adv}`,
  ];
  const etcdSans = [`DNS:${node}`, 'DNS:localhost', `IP:${adv}`, 'IP:127.0.0.1', 'IP:::1'];
  ws.signed('apiserver', '/CN=kube-apiserver', 'ca', leafExtensions('serverAuth', apiserverSans), { days });
  ws.signed('apiserver-kubelet-client', '/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client', 'ca', leafExtensions('clientAuth'), { days });
  ws.signed('front-proxy-client', '/CN=front-proxy-client', 'front-proxy-ca', leafExtensions('clientAuth'), { days });
  ws.signed('etcd-server', `/CN=${node}`, 'etcd-ca', leafExtensions('serverAuth,clientAuth', etcdSans), { days });
  ws.signed('etcd-peer', `/CN=${node}`, 'etcd-ca', leafExtensions('serverAuth,clientAuth', etcdSans), { days });
  ws.signed('etcd-healthcheck-client', '/CN=kube-etcd-healthcheck-client', 'etcd-ca', leafExtensions('clientAuth'), { days });
  ws.signed('apiserver-etcd-client', '/CN=kube-apiserver-etcd-client', 'etcd-ca', leafExtensions('clientAuth'), { days });
  ws.rsaKey('sa.key');
  ws.write('sa.pub', openssl(['rsa', '-in', ws.path('sa.key'), '-pubout']));
}

/** pki/ as kubeadm lays it out, etcd's files under pki/etcd/. */
function writeKubeadmPki(tree: Tree, ws: OpensslWorkspace): void {
  const pki = 'etc/kubernetes/pki';
  for (const name of ['ca', 'front-proxy-ca', 'apiserver', 'apiserver-kubelet-client', 'front-proxy-client', 'apiserver-etcd-client']) {
    tree.write(`${pki}/${name}.crt`, ws.read(`${name}.crt`));
    tree.secret(`${pki}/${name}.key`, ws.read(`${name}.key`));
  }
  for (const name of ['ca', 'server', 'peer', 'healthcheck-client']) {
    tree.write(`${pki}/etcd/${name}.crt`, ws.read(`etcd-${name}.crt`));
    tree.secret(`${pki}/etcd/${name}.key`, ws.read(`etcd-${name}.key`));
  }
  tree.secret(`${pki}/sa.key`, ws.read('sa.key'));
  tree.write(`${pki}/sa.pub`, ws.read('sa.pub'));
}

/** The kubeconfigs kubeadm writes, and the kubelet's, which points at its rotated PEM. */
function writeKubeadmKubeconfigs(tree: Tree, ws: OpensslWorkspace, facts: KubeadmFacts): void {
  const { node, days, apiServer } = facts;
  // kubeconfigs: kubeadm embeds everything and writes them 0600 because they hold keys.
  const caPem = ws.read('ca.crt');
  const confs: [file: string, user: string, subject: string][] = [
    ['admin.conf', 'kubernetes-admin', '/O=kubeadm:cluster-admins/CN=kubernetes-admin'],
    ['super-admin.conf', 'kubernetes-super-admin', '/O=system:masters/CN=kubernetes-super-admin'],
    ['controller-manager.conf', 'system:kube-controller-manager', '/CN=system:kube-controller-manager'],
    ['scheduler.conf', 'system:kube-scheduler', '/CN=system:kube-scheduler'],
  ];
  for (const [file, user, subject] of confs) {
    const name = file.replace('.conf', '-conf');
    ws.signed(name, subject, 'ca', leafExtensions('clientAuth'), { days });
    tree.secret(`etc/kubernetes/${file}`, kubeconfig('kubernetes', apiServer, caPem, user, ws.read(`${name}.crt`), ws.read(`${name}.key`)));
  }
  // kubeadm's kubelet-finalize phase repoints kubelet.conf at the rotated PEM instead of an embedded client cert.
  const nodeUser = `system:node:${node}`;
  const currentPem = `/var/lib/kubelet/pki/kubelet-client-current.pem`;
  tree.secret(
    'etc/kubernetes/kubelet.conf',
    toYaml({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'kubernetes', cluster: { 'certificate-authority-data': b64(caPem), server: apiServer } }],
      contexts: [{ name: `${nodeUser}@kubernetes`, context: { cluster: 'kubernetes', user: nodeUser } }],
      'current-context': `${nodeUser}@kubernetes`,
      preferences: {},
      users: [{ name: nodeUser, user: { 'client-certificate': currentPem, 'client-key': currentPem } }],
    }),
  );
}

/** The kubelet's client PEM (with its -current link) and its self-made serving certificate. */
function writeKubeletPki(tree: Tree, ws: OpensslWorkspace, facts: KubeadmFacts): void {
  const { node, days } = facts;
  const nodeUser = `system:node:${node}`;
  // The kubelet's own client key is ECDSA P-256 (its certificate manager generates it), so the signer only grants digitalSignature.
  ws.ecKey('kubelet-client.key');
  ws.signed('kubelet-client', `/O=system:nodes/CN=${nodeUser}`, 'ca', leafExtensions('clientAuth', [], 'digitalSignature'), {
    days,
    key: ws.path('kubelet-client.key'),
  });
  tree.secret(`var/lib/kubelet/pki/${KUBELET_CLIENT_PEM}`, ws.read('kubelet-client.crt') + ws.read('kubelet-client.key'));
  // The kubelet links with an absolute target; a relative one resolves inside the fixture root instead of on the host.
  tree.symlink('var/lib/kubelet/pki/kubelet-client-current.pem', KUBELET_CLIENT_PEM);

  // Without tlsCertFile the kubelet makes a throwaway CA and a serving leaf, and writes leaf then CA into kubelet.crt.
  const now = Math.floor(Date.now() / 1000);
  ws.ca('kubelet-ca', `/CN=${node}-ca@${now}`, { days: 365, extra: CA_EXTENSIONS });
  ws.signed(
    'kubelet',
    `/CN=${node}@${now}`,
    'kubelet-ca',
    ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth', `subjectAltName=DNS:${node}`],
    { days: 365 },
  );
  tree.write('var/lib/kubelet/pki/kubelet.crt', ws.read('kubelet.crt') + ws.read('kubelet-ca.crt'));
  tree.secret('var/lib/kubelet/pki/kubelet.key', ws.read('kubelet.key'));
}

/** KubeletConfiguration, kubeadm-flags.env and etc/hostname. */
function writeKubeletConfig(tree: Tree, facts: KubeadmFacts): void {
  const { node, serviceCidr, dnsDomain } = facts;
  tree.write(
    'var/lib/kubelet/config.yaml',
    toYaml({
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      authentication: { anonymous: { enabled: false }, webhook: { cacheTTL: '0s', enabled: true }, x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' } },
      authorization: { mode: 'Webhook', webhook: { cacheAuthorizedTTL: '0s', cacheUnauthorizedTTL: '0s' } },
      cgroupDriver: 'systemd',
      clusterDNS: [nthAddress(serviceCidr, 10)],
      clusterDomain: dnsDomain,
      containerRuntimeEndpoint: '',
      healthzBindAddress: '127.0.0.1',
      healthzPort: 10248,
      rotateCertificates: true,
      staticPodPath: '/etc/kubernetes/manifests',
    }),
  );
  tree.write(
    'var/lib/kubelet/kubeadm-flags.env',
    'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10"\n',
  );
  tree.write('etc/hostname', `${node}\n`);
}

/**
 * A clean kubeadm (v1.30+) control-plane node under `root`: the PKI, kubeconfigs, static Pod manifests and
 * kubelet state that `kubeadm init` leaves behind, with every trust edge consistent.
 */
export function makeKubeadmNode(root: string, options: KubeadmNodeOptions = {}): FixtureTree {
  const adv = options.advertiseAddress ?? '192.168.10.10';
  const facts: KubeadmFacts = {
    node: options.nodeName ?? 'cp-1',
    adv,
    serviceCidr: options.serviceCidr ?? '10.96.0.0/12',
    dnsDomain: options.dnsDomain ?? 'cluster.local',
    days: options.days ?? 365,
    apiServer: `https://${hostPort(adv, 6443)}`,
  };
  const tree = new Tree(root);
  const ws = new OpensslWorkspace();
  try {
    issueKubeadmPki(ws, facts);
    writeKubeadmPki(tree, ws);
    writeKubeadmKubeconfigs(tree, ws, facts);
    writeKubeletPki(tree, ws, facts);
  } finally {
    ws.dispose();
  }
  writeKubeletConfig(tree, facts);
  writeApiserverManifest(tree, facts);
  writeControllerManagerManifest(tree, facts);
  writeSchedulerManifest(tree);
  writeEtcdManifest(tree, facts);
  return tree.result();
}
