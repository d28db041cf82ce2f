// Writes test/fixtures/objects/{clean,bad}: API objects (Secrets, a webhook, an APIService) with certificates made here,
// valid until 2125 unless a fixture is about dates. Run after a build: node scripts/make-object-fixtures.mjs
import { createPrivateKey, webcrypto } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const { issueCertificate } = await import(join(repo, 'out/server/src/engine/gen/issue.js'));
const { generateKey } = await import(join(repo, 'out/server/src/engine/gen/keys.js'));

const LONG = { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2125-01-01T00:00:00Z') };
async function make(subject, { ca = false, sans = [], usages = [], signer, dates = LONG, algorithm = 'ECDSA-P256' } = {}) {
  const { keys } = await generateKey(algorithm);
  const cert = await issueCertificate(
    { subject: [['CN', subject]], ca, usages, sans, ...dates, publicKey: keys.publicKey },
    keys,
    signer && { certificate: signer.x509, privateKey: signer.privateKey },
  );
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();
  return { cert: `${cert.toString('pem')}\n`, key, x509: cert, privateKey: keys.privateKey };
}
const b64 = (s) => Buffer.from(s).toString('base64');
const secret = (name, ns, data) =>
  [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    'type: kubernetes.io/tls',
    'data:',
    ...Object.entries(data).map(([k, v]) => `  ${k}: ${b64(v)}`),
    '',
  ].join('\n');
const write = (rel, text) => {
  const path = join(repo, 'test/fixtures/objects', rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};

const ca = await make('policy-webhook-ca', { ca: true });
const other = await make('other-ca', { ca: true });
const serving = await make('policy-webhook.policy.svc', { sans: ['policy-webhook.policy.svc'], usages: ['serverAuth'], signer: ca });
const web = await make('*.example.com', { sans: ['*.example.com', 'example.com'], usages: ['serverAuth'], signer: ca });

write('clean/webhook-secret.yaml', secret('policy-webhook-tls', 'policy', { 'tls.crt': serving.cert, 'tls.key': serving.key, 'ca.crt': ca.cert }));
write(
  'clean/webhook.yaml',
  [
    'apiVersion: admissionregistration.k8s.io/v1',
    'kind: ValidatingWebhookConfiguration',
    'metadata:',
    '  name: policy-webhook',
    'webhooks:',
    '- name: validate.policy.example.com',
    '  admissionReviewVersions: ["v1"]',
    '  sideEffects: None',
    '  clientConfig:',
    `    caBundle: ${b64(ca.cert)}`,
    '    service:',
    '      name: policy-webhook',
    '      namespace: policy',
    '      path: /validate',
    '      port: 443',
    '  rules:',
    '  - apiGroups: [""]',
    '    apiVersions: ["v1"]',
    '    operations: ["CREATE"]',
    '    resources: ["pods"]',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: policy-webhook',
    '  namespace: policy',
    'spec:',
    '  selector:',
    '    app: policy-webhook',
    '  ports:',
    '  - port: 443',
    '    targetPort: 8443',
    '',
  ].join('\n'),
);
write('clean/ingress-tls.yaml', secret('wildcard-tls', 'web', { 'tls.crt': web.cert, 'tls.key': web.key }));
write(
  'clean/ingress.yaml',
  [
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata:',
    '  name: web',
    '  namespace: web',
    'spec:',
    '  tls:',
    '  - hosts: [shop.example.com]',
    '    secretName: wildcard-tls',
    '  rules:',
    '  - host: shop.example.com',
    '    http:',
    '      paths:',
    '      - path: /',
    '        pathType: Prefix',
    '        backend: {service: {name: shop, port: {number: 80}}}',
    '',
  ].join('\n'),
);

const expired = await make('old.example.com', {
  sans: ['old.example.com'],
  usages: ['serverAuth'],
  signer: ca,
  dates: { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') },
});
const weak = await make('weak.example.com', { sans: ['weak.example.com'], usages: ['serverAuth'], signer: ca, algorithm: 'RSA-1024' }).catch(() => undefined);
write('bad/expired.yaml', secret('old-tls', 'web', { 'tls.crt': expired.cert, 'tls.key': expired.key }));
write('bad/key-mismatch.yaml', secret('mixed-tls', 'web', { 'tls.crt': serving.cert, 'tls.key': web.key }));
write('bad/ca-mismatch.yaml', secret('wrong-ca-tls', 'web', { 'tls.crt': serving.cert, 'tls.key': serving.key, 'ca.crt': other.cert }));
write('bad/chain-order.yaml', secret('reversed-tls', 'web', { 'tls.crt': ca.cert + serving.cert, 'tls.key': serving.key }));
write('bad/pem-invalid.yaml', secret('broken-tls', 'web', { 'tls.crt': serving.key, 'tls.key': serving.key }));
if (weak) write('bad/weak-key.yaml', secret('weak-tls', 'web', { 'tls.crt': weak.cert, 'tls.key': weak.key }));
write(
  'bad/apiservice-insecure.yaml',
  [
    'apiVersion: apiregistration.k8s.io/v1',
    'kind: APIService',
    'metadata:',
    '  name: v1beta1.metrics.k8s.io',
    'spec:',
    '  group: metrics.k8s.io',
    '  groupPriorityMinimum: 100',
    '  insecureSkipTLSVerify: true',
    '  service:',
    '    name: metrics-server',
    '    namespace: kube-system',
    '  version: v1beta1',
    '  versionPriority: 100',
    '',
  ].join('\n'),
);
