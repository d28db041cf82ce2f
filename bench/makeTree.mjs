// Builds the benchmark's input: 25 clusters, each a kubeadm control plane and 3 workers
// (100 nodes), about 1,200 PEM files and 400 YAML documents; `nodes` asks for another
// size (the growth curve's 10 and 1,000): clusters of 4 nodes, the last one smaller. Certificates come from
// the engine's generator with ECDSA keys so that set-up takes seconds; the static pod
// manifests and kubelet files are those of the openssl-made test fixture, re-addressed.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const out = (p) => require(join(new URL('..', import.meta.url).pathname, 'out', p));
const { makeKubeadmNode } = out('test/support/clusterFixture.js');
const { generatePki, issueProfile, loadSigner } = out('server/src/engine/gen/generatePki.js');
const { renderKubeconfig } = out('server/src/engine/gen/kubeconfig.js');
const { DEFAULT_PARAMS } = out('server/src/engine/gen/profiles.js');
const { PathGuard } = out('server/src/engine/io/pathGuard.js');

export const CLUSTERS = 25;
export const WORKERS_PER_CLUSTER = 3;

const CONTROL_PLANE_FILES = [
  'etc/kubernetes/manifests/kube-apiserver.yaml',
  'etc/kubernetes/manifests/kube-controller-manager.yaml',
  'etc/kubernetes/manifests/kube-scheduler.yaml',
  'etc/kubernetes/manifests/etcd.yaml',
  'var/lib/kubelet/config.yaml',
  'var/lib/kubelet/kubeadm-flags.env',
];

/** The openssl-made template node whose manifests and kubelet files every node copies, re-addressed. */
function templateNode(root) {
  const template = join(root, '.template');
  makeKubeadmNode(template, { nodeName: 'cp-template', advertiseAddress: '192.168.200.200' });
  return {
    path: (p) => join(template, p),
    read: (p) => readFileSync(join(template, p), 'utf8'),
    readdress: (text, name, ip) => text.replaceAll('cp-template', name).replaceAll('192.168.200.200', ip),
  };
}

/** The kubelet's serving pair, the same for every node (nothing checks it against a name). */
function copyKubeletServing(template, node) {
  for (const f of ['kubelet.crt', 'kubelet.key']) cpSync(template.path(`var/lib/kubelet/pki/${f}`), join(node, `var/lib/kubelet/pki/${f}`));
}

/** A control-plane node: the engine's kubeadm PKI, the template's manifests re-addressed. */
async function makeControlPlane(template, node, name, ip) {
  const params = { ...DEFAULT_PARAMS, nodeName: name, advertiseAddress: ip, keyType: 'ECDSA-P256' };
  const guard = PathGuard.forCli([node]);
  await generatePki(guard, node, params);
  for (const file of CONTROL_PLANE_FILES) {
    mkdirSync(join(node, file, '..'), { recursive: true });
    writeFileSync(join(node, file), template.readdress(template.read(file), name, ip));
  }
  writeFileSync(join(node, 'etc/hostname'), `${name}\n`);
  copyKubeletServing(template, node);
  const ca = await loadSigner(guard, join(node, 'etc/kubernetes/pki/ca.crt'), join(node, 'etc/kubernetes/pki/ca.key'));
  return { params, ca, caPem: readFileSync(join(node, 'etc/kubernetes/pki/ca.crt'), 'utf8') };
}

/** A worker: a kubelet client certificate from the cluster CA, its kubeconfig and kubelet files. */
async function makeWorker(template, wnode, worker, ip, cluster) {
  const subject = [
    ['O', 'system:nodes'],
    ['CN', `system:node:${worker}`],
  ];
  const issued = await issueProfile({ subject, ca: false, usages: ['clientAuth'], sans: [] }, cluster.params, cluster.ca, new Date());
  mkdirSync(join(wnode, 'etc/kubernetes/pki'), { recursive: true });
  mkdirSync(join(wnode, 'var/lib/kubelet/pki'), { recursive: true });
  const user = `system:node:${worker}`;
  const kubeconfig = renderKubeconfig({
    clusterName: 'kubernetes',
    server: `https://${ip}:6443`,
    caPem: cluster.caPem,
    user,
    certPem: issued.certPem,
    keyPem: issued.key.privateKeyPem,
  });
  writeFileSync(join(wnode, 'etc/kubernetes/kubelet.conf'), kubeconfig, { mode: 0o600 });
  writeFileSync(join(wnode, 'etc/kubernetes/pki/ca.crt'), cluster.caPem);
  writeFileSync(join(wnode, 'etc/hostname'), `${worker}\n`);
  for (const f of ['var/lib/kubelet/config.yaml', 'var/lib/kubelet/kubeadm-flags.env']) writeFileSync(join(wnode, f), template.read(f));
  copyKubeletServing(template, wnode);
  writeFileSync(join(wnode, 'var/lib/kubelet/pki/kubelet-client.pem'), issued.certPem + issued.key.privateKeyPem, { mode: 0o600 });
}

export async function makeTree(root, { nodes = CLUSTERS * (1 + WORKERS_PER_CLUSTER) } = {}) {
  if (existsSync(join(root, '.complete'))) return;
  const template = templateNode(root);
  const perCluster = 1 + WORKERS_PER_CLUSTER;
  for (let c = 0; c * perCluster < nodes; c++) {
    const ip = `10.${c % 256}.${c >> 8}.10`;
    const cluster = await makeControlPlane(template, join(root, 'clusters', `c${c}`, `cp-${c}`), `cp-${c}`, ip);
    const workers = Math.min(WORKERS_PER_CLUSTER, nodes - c * perCluster - 1);
    for (let w = 0; w < workers; w++) await makeWorker(template, join(root, 'clusters', `c${c}`, `c${c}-w${w}`), `c${c}-w${w}`, ip, cluster);
  }
  writeFileSync(join(root, '.complete'), '');
}
