import { b64 } from './ruleTester';

/**
 * The manifests of an admission webhook deployed from a repository, built in memory: its configuration
 * (caBundle + service), the Service, the workload mounting the serving Secret, and that Secret. A namespace of
 * undefined leaves `namespace:` out (a kustomization gives it).
 */

const metadata = (name: string, namespace?: string, extra: string[] = []) => [
  'metadata:',
  `  name: ${name}`,
  ...(namespace ? [`  namespace: ${namespace}`] : []),
  ...extra,
];

/** A ValidatingWebhookConfiguration whose one webhook dials Service policy/policy-webhook (or `url`), with this CA PEM as caBundle. */
export function webhookYaml(caPem: string | undefined, options: { annotations?: Record<string, string>; url?: string } = {}): string {
  const annotations = Object.entries(options.annotations ?? {});
  return [
    'apiVersion: admissionregistration.k8s.io/v1',
    'kind: ValidatingWebhookConfiguration',
    ...metadata('policy-webhook', undefined, annotations.length ? ['  annotations:', ...annotations.map(([k, v]) => `    ${k}: ${v}`)] : []),
    'webhooks:',
    '- name: validate.policy.example.com',
    '  clientConfig:',
    `    caBundle: ${caPem === undefined ? '""' : b64(caPem)}`,
    ...(options.url ? [`    url: ${options.url}`] : ['    service:', '      name: policy-webhook', '      namespace: policy']),
    '',
  ].join('\n');
}

export function serviceYaml(namespace?: string): string {
  return ['apiVersion: v1', 'kind: Service', ...metadata('policy-webhook', namespace), 'spec:', '  selector:', '    app: policy-webhook', ''].join('\n');
}

const podSpec = (indent: string, secretName: string, certFile: string) =>
  [
    'containers:',
    '- name: webhook',
    '  image: example/policy-webhook:1.0',
    `  args: ["--tls-cert-file=${certFile}"]`,
    '  volumeMounts:',
    '  - {name: certs, mountPath: /certs}',
    'volumes:',
    '- name: certs',
    `  secret: {secretName: ${secretName}}`,
  ].map((line) => indent + line);

/** A Deployment (or a bare Pod) labelled app: policy-webhook, mounting `secretName` at /certs and serving `certFile`. */
export function workloadYaml(kind: 'Deployment' | 'Pod', namespace?: string, secretName = 'policy-webhook-tls', certFile = '/certs/tls.crt'): string {
  if (kind === 'Pod')
    return [
      'apiVersion: v1',
      'kind: Pod',
      ...metadata('policy-webhook', namespace, ['  labels: {app: policy-webhook}']),
      'spec:',
      ...podSpec('  ', secretName, certFile),
      '',
    ].join('\n');
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    ...metadata('policy-webhook', namespace),
    'spec:',
    '  template:',
    '    metadata:',
    '      labels: {app: policy-webhook}',
    '    spec:',
    ...podSpec('      ', secretName, certFile),
    '',
  ].join('\n');
}

/** A kubernetes.io/tls Secret with these PEM values (base64 in data). */
export function tlsSecretYaml(name: string, namespace: string | undefined, data: Record<string, string>): string {
  return [
    'apiVersion: v1',
    'kind: Secret',
    ...metadata(name, namespace),
    'type: kubernetes.io/tls',
    'data:',
    ...Object.entries(data).map(([key, value]) => `  ${key}: ${b64(value)}`),
    '',
  ].join('\n');
}

export const kustomizationYaml = (resources: string[], namespace?: string) =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${namespace ? `namespace: ${namespace}\n` : ''}resources:\n${resources.map((r) => `- ${r}\n`).join('')}`;
