import { stringify } from 'yaml';

export interface KubeconfigSpec {
  clusterName: string;
  server: string;
  caPem: string;
  user: string;
  certPem: string;
  keyPem: string;
}

const b64 = (pem: string) => Buffer.from(pem).toString('base64');

/** A kubeconfig as kubeadm writes it: one cluster, one user with embedded data, one context. */
export function renderKubeconfig(spec: KubeconfigSpec): string {
  const context = `${spec.user}@${spec.clusterName}`;
  return stringify(
    {
      apiVersion: 'v1',
      clusters: [{ cluster: { 'certificate-authority-data': b64(spec.caPem), server: spec.server }, name: spec.clusterName }],
      contexts: [{ context: { cluster: spec.clusterName, user: spec.user }, name: context }],
      'current-context': context,
      kind: 'Config',
      preferences: {},
      users: [{ name: spec.user, user: { 'client-certificate-data': b64(spec.certPem), 'client-key-data': b64(spec.keyPem) } }],
    },
    { lineWidth: 0 },
  );
}
