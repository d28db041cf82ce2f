import type { Range } from '../../../text/lineIndex';
import type { LinkFacts } from './linkFacts';

/**
 * Kubernetes API objects that carry TLS material (Secrets, ConfigMaps, webhook
 * configurations, APIServices, CRDs, CSRs, ClusterTrustBundles), as one file
 * holds them. The cross-object links (a webhook's Service, an Ingress's Secret)
 * are built on this: objects are found by (kind, namespace, name) per file, and
 * every value knows its object, its field and its range.
 */
export interface ApiObject {
  kind: string;
  apiVersion: string;
  name: string;
  /** As written: an object without one gets its namespace when it is applied (kustomize's `namespace:`, kubectl -n). */
  namespace?: string;
  /** The file that holds it. */
  file: string;
  /** metadata.name's value (the object's root when it has none): where a finding about the object as a whole goes. */
  range: Range;
  /** A Secret's `type`. */
  type?: string;
  values: ObjectValue[];
  /** Webhooks' and APIServices' clientConfig: where the API server dials. */
  clientConfigs: ClientConfig[];
  /** Settings the rules read (APIService spec.insecureSkipTLSVerify, a CSR's signerName and usages), with the range of their value. */
  flags: ObjectFlag[];
  /** What leads to a serving certificate (a Service's selector, a workload's Secret volumes, a cert-manager Certificate...). */
  links?: LinkFacts;
  /** Ingress and Gateway: where TLS ends (tls entries, Terminate listeners) and the hosts served. */
  frontend?: TlsFrontend;
  /** cert-manager Certificate: what it writes into its Secret. */
  certificate?: CertManagerCertificate;
  /** cert-manager Issuer / ClusterIssuer with a CA: the Secret it signs with. */
  issuer?: CertManagerIssuer;
}

/** What a value must hold: a value that decodes to something else is pem-invalid, except `any`, which is a value only when it decodes. */
export type ValueRole = 'certificate' | 'private-key' | 'ca-bundle' | 'csr' | 'any';

/** One PEM or base64 PEM/DER value of an object. */
export interface ObjectValue {
  object: ApiObject;
  /** The field as kubectl explain names it: `data.tls.crt`, `webhooks[0].clientConfig.caBundle`. */
  field: string;
  /** The short name messages use: `tls.crt`, `caBundle`. */
  key: string;
  role: ValueRole;
  /** base64 (Secret data, caBundle, CSR request) or the text itself (stringData, ConfigMap data, trustBundle). */
  encoding: 'base64' | 'text';
  value: string;
  /** The value's node: diagnostics land here. */
  range: Range;
  /** SOPS `ENC[...]`: never decoded, never invalid. */
  encrypted?: boolean;
  /** A caBundle a controller fills in the cluster (cert-manager's inject-ca-from annotations, OpenShift's inject-cabundle): not judged here. */
  injected?: boolean;
}

/** A webhook's (or APIService's, or conversion webhook's) clientConfig. */
export interface ClientConfig {
  /** The webhook's name (webhooks[].name), or the object's own name for an APIService or CRD. */
  owner: string;
  field: string;
  service?: { namespace?: string; name?: string; port?: number; path?: string; range: Range };
  url?: { value: string; range: Range };
  caBundle?: ObjectValue;
}

export interface ObjectFlag {
  name: string;
  value: string;
  /** A list setting's items (a CSR's usages); `value` joins them. */
  items?: string[];
  range: Range;
}

/** "Secret web/frontend-tls", "APIService v1beta1.metrics.k8s.io": how messages and labels name an object. */
export function objectLabel(object: ApiObject): string {
  return `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
}

/** "tls.crt of Secret web/frontend-tls": how messages name a value. */
export function valueLabel(value: ObjectValue): string {
  return `${value.key} of ${objectLabel(value.object)}`;
}

/** The object index key: kind, namespace (empty when unset) and name. */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

/** A name as written (a host, a Secret's name), with its node's range. */
export interface NamedValue {
  value: string;
  range: Range;
}

/** An Ingress tls entry or a Gateway listener that terminates TLS: the hosts it serves and the Secrets holding the certificate. */
export interface TlsTermination {
  /** `spec.tls[0]`, `spec.listeners[1]`. */
  field: string;
  hosts: NamedValue[];
  /** Several for a Gateway listener (certificateRefs); the namespace only when written (default: the object's). */
  secrets: Array<{ namespace?: string; name: NamedValue }>;
  /** Where one more host goes: after the last one, with the separator its list needs (`, ` in a flow list, a new `- ` line in a block one). */
  addHost?: { at: Range; prefix: string };
}

export interface TlsFrontend {
  terminations: TlsTermination[];
  /** Ingress `spec.rules[].host`, in order. */
  ruleHosts: NamedValue[];
}

export interface CertManagerCertificate {
  secretName?: NamedValue;
  commonName?: NamedValue;
  dnsNames: NamedValue[];
  /** From the first dnsNames entry to the last: a missing name is reported there. */
  dnsNamesRange?: Range;
  ipAddresses: NamedValue[];
  isCA: boolean;
  usages: string[];
  issuerRef?: { name: string; kind: string; group: string };
}

export interface CertManagerIssuer {
  /** `spec.ca.secretName`: the CA certificate and key cert-manager signs with. */
  caSecretName?: NamedValue;
}
