import type { Range } from '../../../text/lineIndex';

/**
 * What an object says about where a serving certificate comes from, for the webhook / APIService links
 * (check/objectLinks.ts): no PEM, only names, labels and paths. Read from Services, workloads and cert-manager objects.
 */
export interface LinkFacts {
  /** A Service's spec.selector. */
  selector?: Record<string, string>;
  /** A workload's pod labels (Deployment, StatefulSet, DaemonSet: its pod template's; a Pod: its own). */
  podLabels?: Record<string, string>;
  /** The workload's Secret volumes, each with where its containers mount it. */
  secretVolumes?: Array<{ volume: string; secretName: string; mountPaths: string[] }>;
  /** Files its containers' args name as their serving certificate (`--tls-cert-file=/certs/tls.crt`). */
  certFiles?: string[];
  /** A cert-manager Certificate: the Secret it writes, its DNS names (range: dnsNames, else secretName) and issuer. */
  certificate?: { secretName: string; dnsNames: string[]; range: Range; issuerRef?: { kind: string; name: string } };
  /** An Issuer's or ClusterIssuer's spec.ca.secretName: the Secret holding its CA. */
  caSecretName?: string;
  /** cert-manager.io/inject-ca-from: `namespace/certificate`, the Certificate whose CA cainjector writes into the caBundles. */
  injectCaFrom?: { value: string; range: Range };
  /** cert-manager.io/inject-ca-from-secret: `namespace/secret`, the Secret whose CA cainjector writes into the caBundles. */
  injectCaFromSecret?: { value: string; range: Range };
}
