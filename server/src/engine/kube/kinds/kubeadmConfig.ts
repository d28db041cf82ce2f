import type { Range } from '../../text/lineIndex';
import type { Reference } from '../reference';
import { mapGetPath, rangeOfNode, scalarString, seqItems } from '../yamlFile';
import type { YamlKind } from './documentKind';
import { fieldReferences } from './yamlReferences';

/** kubeadm's ClusterConfiguration / InitConfiguration: the certificates folder, extra API server SANs, the cluster's DNS domain. */
export interface KubeadmConfigDocument {
  kind: 'kubeadm-config';
  references: Reference[];
  certSANs: Array<{ value: string; range: Range }>;
  dnsDomain?: string;
  serviceSubnet?: string;
}

export const kubeadmConfig: YamlKind<KubeadmConfigDocument> = {
  id: 'kubeadm-config',
  syntax: 'yaml',
  detect: ({ kind, apiVersion }) => (kind === 'ClusterConfiguration' || kind === 'InitConfiguration') && apiVersion.startsWith('kubeadm.k8s.io'),
  triggers: { kinds: { ClusterConfiguration: ['kubeadm.k8s.io'], InitConfiguration: ['kubeadm.k8s.io'] }, strings: [] },
  read(file, root, path) {
    const sans = seqItems(mapGetPath(root, ['apiServer', 'certSANs'])).flatMap((n) => {
      const value = scalarString(n);
      const range = rangeOfNode(file, n);
      return value && range ? [{ value, range }] : [];
    });
    return {
      kind: 'kubeadm-config',
      references: fieldReferences(file, root, path, 'kubeadm', ['certificatesDir']),
      certSANs: sans,
      dnsDomain: scalarString(mapGetPath(root, ['networking', 'dnsDomain'])),
      serviceSubnet: scalarString(mapGetPath(root, ['networking', 'serviceSubnet'])),
    };
  },
  addToNode(node, doc, file) {
    node.certSANs.push(...doc.certSANs.map((s) => ({ ...s, file })));
    node.dnsDomain ??= doc.dnsDomain;
  },
};
