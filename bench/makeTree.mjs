// Builds the benchmark's input: 25 clusters, each a kubeadm control plane and 3 workers
// (100 nodes), about 1,200 PEM files and 400 YAML documents. Certificates come from
// the engine's generator with ECDSA keys so that set-up takes seconds; the static pod
// manifests and kubelet files are those of the openssl-made test fixture, re-addressed.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const out = (p) => require(join(new URL('..', import.meta.url).pathname, 'out', p));
const { makeKubeadmNode } = out('test/support/clusterFixture.js');
const { generatePki, issueProfile, loadSigner } = out('server/src/engine/gen/generatePki.js');
const { renderKubeconfig } = out('server/src/engine/gen/kubeconfig.js');
const { DEFAULT_PARAMS } = out('server/src/engine/gen/profiles.js');
const { PathGuard } = out('server/src/engine/io/pathGuard.js');

export const CLUSTERS = 25;
export const WORKERS_PER_CLUSTER = 3;

export async function makeTree(root) {
  if (existsSync(join(root, '.complete'))) return;
  const template = join(root, '.template');
  makeKubeadmNode(template, { nodeName: 'cp-template', advertiseAddress: '192.168.200.200' });
  const read = (p) => readFileSync(join(template, p), 'utf8');
  const readdress = (text, name, ip) => text.replaceAll('cp-template', name).replaceAll('192.168.200.200', ip);
  for (let c = 0; c < CLUSTERS; c++) {
    const name = `cp-${c}`;
    const ip = `10.${c}.0.10`;
    const node = join(root, 'clusters', `c${c}`, name);
    const params = { ...DEFAULT_PARAMS, nodeName: name, advertiseAddress: ip, keyType: 'ECDSA-P256' };
    const guard = PathGuard.forCli([node]);
    await generatePki(guard, node, params);
    for (const file of ['etc/kubernetes/manifests/kube-apiserver.yaml', 'etc/kubernetes/manifests/kube-controller-manager.yaml', 'etc/kubernetes/manifests/kube-scheduler.yaml', 'etc/kubernetes/manifests/etcd.yaml', 'var/lib/kubelet/config.yaml', 'var/lib/kubelet/kubeadm-flags.env']) {
      mkdirSync(join(node, file, '..'), { recursive: true });
      writeFileSync(join(node, file), readdress(read(file), name, ip));
    }
    writeFileSync(join(node, 'etc/hostname'), `${name}\n`);
    cpSync(join(template, 'var/lib/kubelet/pki/kubelet.crt'), join(node, 'var/lib/kubelet/pki/kubelet.crt'));
    cpSync(join(template, 'var/lib/kubelet/pki/kubelet.key'), join(node, 'var/lib/kubelet/pki/kubelet.key'));
    const ca = await loadSigner(guard, join(node, 'etc/kubernetes/pki/ca.crt'), join(node, 'etc/kubernetes/pki/ca.key'));
    const caPem = readFileSync(join(node, 'etc/kubernetes/pki/ca.crt'), 'utf8');
    for (let w = 0; w < WORKERS_PER_CLUSTER; w++) {
      const worker = `c${c}-w${w}`;
      const wnode = join(root, 'clusters', `c${c}`, worker);
      const issued = await issueProfile({ subject: [['O', 'system:nodes'], ['CN', `system:node:${worker}`]], ca: false, usages: ['clientAuth'], sans: [] }, params, ca, new Date());
      mkdirSync(join(wnode, 'etc/kubernetes/pki'), { recursive: true });
      mkdirSync(join(wnode, 'var/lib/kubelet/pki'), { recursive: true });
      writeFileSync(join(wnode, 'etc/kubernetes/kubelet.conf'), renderKubeconfig({ clusterName: 'kubernetes', server: `https://${ip}:6443`, caPem, user: `system:node:${worker}`, certPem: issued.certPem, keyPem: issued.key.privateKeyPem }), { mode: 0o600 });
      writeFileSync(join(wnode, 'etc/kubernetes/pki/ca.crt'), caPem);
      writeFileSync(join(wnode, 'etc/hostname'), `${worker}\n`);
      writeFileSync(join(wnode, 'var/lib/kubelet/config.yaml'), read('var/lib/kubelet/config.yaml'));
      writeFileSync(join(wnode, 'var/lib/kubelet/kubeadm-flags.env'), read('var/lib/kubelet/kubeadm-flags.env'));
      cpSync(join(template, 'var/lib/kubelet/pki/kubelet.crt'), join(wnode, 'var/lib/kubelet/pki/kubelet.crt'));
      cpSync(join(template, 'var/lib/kubelet/pki/kubelet.key'), join(wnode, 'var/lib/kubelet/pki/kubelet.key'));
      writeFileSync(join(wnode, 'var/lib/kubelet/pki/kubelet-client.pem'), issued.certPem + issued.key.privateKeyPem, { mode: 0o600 });
    }
  }
  writeFileSync(join(root, '.complete'), '');
}
