import { createPrivateKey, webcrypto } from 'node:crypto';
import { x509 } from '../../server/src/engine/pki/x509Runtime';

/**
 * A Talos cluster's controlplane.yaml and talosconfig as `talosctl gen config` writes them:
 * every CA and key base64 of PEM, the Talos CA and the talosconfig client Ed25519 under
 * the label `ED25519 PRIVATE KEY`, the Kubernetes, etcd and aggregator CAs ECDSA P-256 under
 * `EC PRIVATE KEY`, the aggregator CA with an empty subject (Talos before 1.7), the service account key ECDSA.
 */
const ED25519 = { name: 'Ed25519' };
const P256 = { name: 'ECDSA', namedCurve: 'P-256' };
const b64 = (text: string) => Buffer.from(text).toString('base64');

interface Made {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  /** base64 of the PEM certificate and of the PEM key, as Talos writes them. */
  crt: string;
  key: string;
}

interface CertOptions {
  subject: string;
  ca: boolean;
  ed25519: boolean;
  notBefore: Date;
  notAfter: Date;
  signer?: Made;
  clientAuth?: boolean;
}

async function keyPem(keys: CryptoKeyPair, ed25519: boolean): Promise<string> {
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  if (ed25519) return `-----BEGIN ED25519 PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END ED25519 PRIVATE KEY-----\n`;
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'sec1' }).toString();
}

async function make(options: CertOptions): Promise<Made> {
  const keys = (await webcrypto.subtle.generateKey(options.ed25519 ? ED25519 : P256, true, ['sign', 'verify'])) as CryptoKeyPair;
  const usages = options.ca ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign : x509.KeyUsageFlags.digitalSignature;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(options.ca, undefined, true),
    new x509.KeyUsagesExtension(usages, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (options.clientAuth) extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]));
  const signer = options.signer;
  const algorithm = (k: CryptoKey) => (k.algorithm.name === 'Ed25519' ? ED25519 : { name: 'ECDSA', hash: 'SHA-256' });
  const common = { serialNumber: '01' + Math.floor(Math.random() * 1e9).toString(16), notBefore: options.notBefore, notAfter: options.notAfter, extensions };
  const cert = signer
    ? await x509.X509CertificateGenerator.create({
        ...common,
        subject: options.subject,
        issuer: signer.cert.subjectName,
        publicKey: keys.publicKey,
        signingKey: signer.keys.privateKey,
        signingAlgorithm: algorithm(signer.keys.privateKey),
      })
    : await x509.X509CertificateGenerator.createSelfSigned({ ...common, name: options.subject, keys, signingAlgorithm: algorithm(keys.privateKey) });
  return { cert, keys, crt: b64(`${cert.toString('pem')}\n`), key: b64(await keyPem(keys, options.ed25519)) };
}

export interface TalosFaults {
  /** The talosconfig client certificate expired on 2025-05-01. */
  expiredClient?: boolean;
  /** The talosconfig client certificate signed by another Ed25519 CA. */
  foreignClient?: boolean;
  /** cluster.ca.key is the etcd CA's key. */
  clusterKeyMismatch?: boolean;
  /** The talosconfig endpoint is a name machine.certSANs lacks. */
  endpointNotInSANs?: boolean;
  /** The talosconfig client certificate's O holds no Talos role (O=ops instead of os:admin). */
  clientWithoutRole?: boolean;
}

export interface TalosFiles {
  'controlplane.yaml': string;
  /** A worker's config: the CAs without their keys, and one of Talos's newer documents after it. */
  'worker.yaml': string;
  talosconfig: string;
}

const YEAR = (y: number) => new Date(`${y}-01-01T00:00:00Z`);

/** controlplane.yaml, worker.yaml and talosconfig of one cluster, valid 2025-01-01 (CAs to 2035, the client to 2026), seeded with `faults`. */
export async function talosCluster(faults: TalosFaults = {}): Promise<TalosFiles> {
  const ca = (subject: string, ed25519: boolean) => make({ subject, ca: true, ed25519, notBefore: YEAR(2025), notAfter: YEAR(2035) });
  const [talos, kubernetes, aggregator, etcd, other] = await Promise.all([
    ca('O=talos', true),
    ca('O=kubernetes', false),
    ca('', false),
    ca('O=etcd', false),
    ca('O=talos', true),
  ]);
  const client = await make({
    subject: faults.clientWithoutRole ? 'O=ops' : 'O=os:admin',
    ca: false,
    ed25519: true,
    clientAuth: true,
    notBefore: YEAR(2025),
    notAfter: faults.expiredClient ? new Date('2025-05-01T00:00:00Z') : YEAR(2026),
    signer: faults.foreignClient ? other : talos,
  });
  const sa = await make({ subject: 'O=sa', ca: false, ed25519: false, notBefore: YEAR(2025), notAfter: YEAR(2026) });
  const endpoint = faults.endpointNotInSANs ? 'talos.example.org' : 'api.example.org';
  const controlplane = `version: v1alpha1
debug: false
persist: true
machine:
    type: controlplane
    token: h4yxpd.2ofwxyr7c7gcdvcm
    ca:
        crt: ${talos.crt}
        key: ${talos.key}
    certSANs:
        - api.example.org
    kubelet:
        image: ghcr.io/siderolabs/kubelet:v1.30.0
    network:
        hostname: cp-1
    features:
        rbac: true
cluster:
    id: 9jV1M1mFjN3v3tLxX6l2k8i4u7pD5bGZ0sHwYq1cRrE=
    secret: 2eOa9TO7bRdwe7hWvz2xHd9lc0aBq4jqLs5Tq1Xw3mY=
    controlPlane:
        endpoint: https://api.example.org:6443
    clusterName: demo
    token: 8xz2pc.ab1cdef2ghijklmn
    ca:
        crt: ${kubernetes.crt}
        key: ${faults.clusterKeyMismatch ? etcd.key : kubernetes.key}
    aggregatorCA:
        crt: ${aggregator.crt}
        key: ${aggregator.key}
    serviceAccount:
        key: ${b64(await keyPem(sa.keys, false))}
    etcd:
        ca:
            crt: ${etcd.crt}
            key: ${etcd.key}
`;
  const talosconfig = `context: demo
contexts:
    demo:
        endpoints:
            - ${endpoint}
        nodes:
            - 10.0.0.2
        ca: ${talos.crt}
        crt: ${client.crt}
        key: ${client.key}
`;
  const worker = `version: v1alpha1
machine:
    type: worker
    token: h4yxpd.2ofwxyr7c7gcdvcm
    ca:
        crt: ${talos.crt}
        key: ""
    certSANs: []
cluster:
    controlPlane:
        endpoint: https://api.example.org:6443
    ca:
        crt: ${kubernetes.crt}
        key: ""
---
apiVersion: v1alpha1
kind: HostnameConfig
hostname: worker-1
`;
  return { 'controlplane.yaml': controlplane, 'worker.yaml': worker, talosconfig };
}
