// The static Pods kubeadm writes into etc/kubernetes/manifests, for the kubeadm node fixture.
import { ETCD_IMAGE, hostPort, httpProbe, K8S_VERSION, staticPod, Tree, Volume } from './fixtureParts';

/** What a kubeadm node's files are made from. */
export interface KubeadmFacts {
  node: string;
  adv: string;
  serviceCidr: string;
  dnsDomain: string;
  days: number;
  apiServer: string;
}

export const PKI_DIR = '/etc/kubernetes/pki';
const MANIFESTS = 'etc/kubernetes/manifests';
const CA_CERTS: Volume = { name: 'ca-certs', hostPath: '/etc/ssl/certs', type: 'DirectoryOrCreate', readOnly: true };
const K8S_CERTS: Volume = { name: 'k8s-certs', hostPath: PKI_DIR, type: 'DirectoryOrCreate', readOnly: true };

/** kube-apiserver's static Pod. */
export function writeApiserverManifest(tree: Tree, facts: KubeadmFacts): void {
  const { adv, serviceCidr, dnsDomain } = facts;
  tree.write(
    `${MANIFESTS}/kube-apiserver.yaml`,
    staticPod({
      name: 'kube-apiserver',
      annotations: { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': hostPort(adv, 6443) },
      image: `registry.k8s.io/kube-apiserver:${K8S_VERSION}`,
      command: [
        'kube-apiserver',
        `--advertise-address=${adv}`,
        '--allow-privileged=true',
        '--authorization-mode=Node,RBAC',
        `--client-ca-file=${PKI_DIR}/ca.crt`,
        '--enable-admission-plugins=NodeRestriction',
        '--enable-bootstrap-token-auth=true',
        `--etcd-cafile=${PKI_DIR}/etcd/ca.crt`,
        `--etcd-certfile=${PKI_DIR}/apiserver-etcd-client.crt`,
        `--etcd-keyfile=${PKI_DIR}/apiserver-etcd-client.key`,
        '--etcd-servers=https://127.0.0.1:2379',
        `--kubelet-client-certificate=${PKI_DIR}/apiserver-kubelet-client.crt`,
        `--kubelet-client-key=${PKI_DIR}/apiserver-kubelet-client.key`,
        '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
        `--proxy-client-cert-file=${PKI_DIR}/front-proxy-client.crt`,
        `--proxy-client-key-file=${PKI_DIR}/front-proxy-client.key`,
        '--requestheader-allowed-names=front-proxy-client',
        `--requestheader-client-ca-file=${PKI_DIR}/front-proxy-ca.crt`,
        '--requestheader-extra-headers-prefix=X-Remote-Extra-',
        '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-username-headers=X-Remote-User',
        '--secure-port=6443',
        `--service-account-issuer=https://kubernetes.default.svc.${dnsDomain}`,
        `--service-account-key-file=${PKI_DIR}/sa.pub`,
        `--service-account-signing-key-file=${PKI_DIR}/sa.key`,
        `--service-cluster-ip-range=${serviceCidr}`,
        `--tls-cert-file=${PKI_DIR}/apiserver.crt`,
        `--tls-private-key-file=${PKI_DIR}/apiserver.key`,
      ],
      volumes: [CA_CERTS, K8S_CERTS],
      requests: { cpu: '250m' },
      liveness: httpProbe(adv, '/livez', 6443, 'HTTPS', 8),
      readiness: httpProbe(adv, '/readyz', 6443, 'HTTPS', 3, { periodSeconds: 1 }),
      startup: httpProbe(adv, '/livez', 6443, 'HTTPS', 24),
    }),
  );
}

/** kube-controller-manager's static Pod. */
export function writeControllerManagerManifest(tree: Tree, facts: KubeadmFacts): void {
  const { serviceCidr } = facts;
  const cmConf = '/etc/kubernetes/controller-manager.conf';
  tree.write(
    `${MANIFESTS}/kube-controller-manager.yaml`,
    staticPod({
      name: 'kube-controller-manager',
      image: `registry.k8s.io/kube-controller-manager:${K8S_VERSION}`,
      command: [
        'kube-controller-manager',
        `--authentication-kubeconfig=${cmConf}`,
        `--authorization-kubeconfig=${cmConf}`,
        '--bind-address=127.0.0.1',
        `--client-ca-file=${PKI_DIR}/ca.crt`,
        '--cluster-name=kubernetes',
        `--cluster-signing-cert-file=${PKI_DIR}/ca.crt`,
        `--cluster-signing-key-file=${PKI_DIR}/ca.key`,
        '--controllers=*,bootstrapsigner,tokencleaner',
        `--kubeconfig=${cmConf}`,
        '--leader-elect=true',
        `--requestheader-client-ca-file=${PKI_DIR}/front-proxy-ca.crt`,
        `--root-ca-file=${PKI_DIR}/ca.crt`,
        `--service-account-private-key-file=${PKI_DIR}/sa.key`,
        `--service-cluster-ip-range=${serviceCidr}`,
        '--use-service-account-credentials=true',
      ],
      volumes: [
        CA_CERTS,
        { name: 'flexvolume-dir', hostPath: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', type: 'DirectoryOrCreate' },
        K8S_CERTS,
        { name: 'kubeconfig', hostPath: cmConf, type: 'FileOrCreate', readOnly: true },
      ],
      requests: { cpu: '200m' },
      liveness: httpProbe('127.0.0.1', '/healthz', 10257, 'HTTPS', 8),
      startup: httpProbe('127.0.0.1', '/healthz', 10257, 'HTTPS', 24),
    }),
  );
}

/** kube-scheduler's static Pod. */
export function writeSchedulerManifest(tree: Tree): void {
  const schedConf = '/etc/kubernetes/scheduler.conf';
  tree.write(
    `${MANIFESTS}/kube-scheduler.yaml`,
    staticPod({
      name: 'kube-scheduler',
      image: `registry.k8s.io/kube-scheduler:${K8S_VERSION}`,
      command: [
        'kube-scheduler',
        `--authentication-kubeconfig=${schedConf}`,
        `--authorization-kubeconfig=${schedConf}`,
        '--bind-address=127.0.0.1',
        `--kubeconfig=${schedConf}`,
        '--leader-elect=true',
      ],
      volumes: [{ name: 'kubeconfig', hostPath: schedConf, type: 'FileOrCreate', readOnly: true }],
      requests: { cpu: '100m' },
      liveness: httpProbe('127.0.0.1', '/healthz', 10259, 'HTTPS', 8),
      startup: httpProbe('127.0.0.1', '/healthz', 10259, 'HTTPS', 24),
    }),
  );
}

/** etcd's static Pod. */
export function writeEtcdManifest(tree: Tree, facts: KubeadmFacts): void {
  const { node, adv } = facts;
  const etcdDir = `${PKI_DIR}/etcd`;
  const clientUrl = `https://${hostPort(adv, 2379)}`;
  const peerUrl = `https://${hostPort(adv, 2380)}`;
  tree.write(
    `${MANIFESTS}/etcd.yaml`,
    staticPod({
      name: 'etcd',
      annotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': clientUrl },
      image: ETCD_IMAGE,
      command: [
        'etcd',
        `--advertise-client-urls=${clientUrl}`,
        `--cert-file=${etcdDir}/server.crt`,
        '--client-cert-auth=true',
        '--data-dir=/var/lib/etcd',
        '--experimental-initial-corrupt-check=true',
        '--experimental-watch-progress-notify-interval=5s',
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=${node}=${peerUrl}`,
        `--key-file=${etcdDir}/server.key`,
        `--listen-client-urls=https://127.0.0.1:2379,${clientUrl}`,
        '--listen-metrics-urls=http://127.0.0.1:2381',
        `--listen-peer-urls=${peerUrl}`,
        `--name=${node}`,
        `--peer-cert-file=${etcdDir}/peer.crt`,
        '--peer-client-cert-auth=true',
        `--peer-key-file=${etcdDir}/peer.key`,
        `--peer-trusted-ca-file=${etcdDir}/ca.crt`,
        '--snapshot-count=10000',
        `--trusted-ca-file=${etcdDir}/ca.crt`,
      ],
      volumes: [
        { name: 'etcd-data', hostPath: '/var/lib/etcd', type: 'DirectoryOrCreate' },
        { name: 'etcd-certs', hostPath: etcdDir, type: 'DirectoryOrCreate' },
      ],
      requests: { cpu: '100m', memory: '100Mi' },
      liveness: httpProbe('127.0.0.1', '/health?exclude=NOSPACE&serializable=true', 2381, 'HTTP', 8),
      startup: httpProbe('127.0.0.1', '/health?serializable=false', 2381, 'HTTP', 24),
    }),
  );
}
