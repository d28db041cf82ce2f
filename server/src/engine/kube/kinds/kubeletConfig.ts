import type { Reference } from '../reference';
import { mapGet, scalarString } from '../yamlFile';
import type { YamlKind } from './documentKind';
import { fieldReferences } from './yamlReferences';

/** /var/lib/kubelet/config.yaml: the kubelet's serving certificate and client CA, and the cluster domain. */
export interface KubeletConfigDocument {
  kind: 'kubelet-config';
  references: Reference[];
  clusterDomain?: string;
}

export const kubeletConfig: YamlKind<KubeletConfigDocument> = {
  id: 'kubelet-config',
  syntax: 'yaml',
  detect: ({ kind, apiVersion }) => kind === 'KubeletConfiguration' || apiVersion.startsWith('kubelet.config.k8s.io'),
  triggers: { kinds: { KubeletConfiguration: [] }, strings: ['kubelet.config.k8s.io'] },
  read: (file, root, path) => ({
    kind: 'kubelet-config',
    references: fieldReferences(file, root, path, 'kubelet', ['tlsCertFile', 'tlsPrivateKeyFile', 'authentication.x509.clientCAFile']),
    clusterDomain: scalarString(mapGet(root, 'clusterDomain')),
  }),
  addToNode(node, doc) {
    node.kubelet.push(...doc.references);
    node.dnsDomain ??= doc.clusterDomain;
  },
};
