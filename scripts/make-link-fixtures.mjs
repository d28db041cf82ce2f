// Writes test/fixtures/objects/links: webhook repositories whose caBundle is linked through the repository
// (Service -> Deployment -> Secret volume, or the cert-manager Certificate writing it) to the certificate served.
// Certificates valid until 2125. Run after a build: node scripts/make-link-fixtures.mjs
import { createPrivateKey, webcrypto } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const { issueCertificate } = await import(join(repo, 'out/server/src/engine/gen/issue.js'));
const { generateKey } = await import(join(repo, 'out/server/src/engine/gen/keys.js'));

const LONG = { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2125-01-01T00:00:00Z') };
async function make(subject, { ca = false, sans = [], signer } = {}) {
  const { keys } = await generateKey('ECDSA-P256');
  const cert = await issueCertificate(
    { subject: [['CN', subject]], ca, usages: ca ? [] : ['serverAuth'], sans, ...LONG, publicKey: keys.publicKey },
    keys,
    signer && { certificate: signer.x509, privateKey: signer.privateKey },
  );
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();
  return { cert: `${cert.toString('pem')}\n`, key, x509: cert, privateKey: keys.privateKey };
}
const b64 = (s) => Buffer.from(s).toString('base64');
const ROOT = join(repo, 'test/fixtures/objects/links');
const write = (rel, lines) => {
  const path = join(ROOT, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${lines.join('\n')}\n`);
};
const secret = (name, data) => [
  'apiVersion: v1',
  'kind: Secret',
  'metadata:',
  `  name: ${name}`,
  '  namespace: policy',
  'type: kubernetes.io/tls',
  'data:',
  ...Object.entries(data).map(([k, v]) => `  ${k}: ${b64(v)}`),
];
const webhook = ({ caBundle, inject }) => [
  'apiVersion: admissionregistration.k8s.io/v1',
  'kind: ValidatingWebhookConfiguration',
  'metadata:',
  '  name: policy-webhook',
  ...(inject ? ['  annotations:', `    cert-manager.io/inject-ca-from: ${inject}`] : []),
  'webhooks:',
  '- name: validate.policy.example.com',
  '  admissionReviewVersions: ["v1"]',
  '  sideEffects: None',
  '  clientConfig:',
  ...(caBundle ? [`    caBundle: ${b64(caBundle)}`] : []),
  '    service:',
  '      name: policy-webhook',
  '      namespace: policy',
  '      path: /validate',
];
const service = [
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
];
const deployment = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: policy-webhook',
  '  namespace: policy',
  'spec:',
  '  selector:',
  '    matchLabels: {app: policy-webhook}',
  '  template:',
  '    metadata:',
  '      labels: {app: policy-webhook}',
  '    spec:',
  '      containers:',
  '      - name: webhook',
  '        image: example/policy-webhook:1.0',
  '        args: ["--tls-cert-file=/certs/tls.crt", "--tls-private-key-file=/certs/tls.key"]',
  '        volumeMounts:',
  '        - {name: certs, mountPath: /certs, readOnly: true}',
  '      volumes:',
  '      - name: certs',
  '        secret: {secretName: policy-webhook-tls}',
];
const certificate = (dnsNames, issuer) => [
  'apiVersion: cert-manager.io/v1',
  'kind: Certificate',
  'metadata:',
  '  name: policy-webhook-cert',
  '  namespace: policy',
  'spec:',
  '  secretName: policy-webhook-tls',
  `  dnsNames: [${dnsNames.join(', ')}]`,
  `  issuerRef: {kind: Issuer, name: ${issuer}}`,
];
const caIssuer = (name, secretName) => [
  'apiVersion: cert-manager.io/v1',
  'kind: Issuer',
  'metadata:',
  `  name: ${name}`,
  '  namespace: policy',
  'spec:',
  `  ca: {secretName: ${secretName}}`,
];

const ca = await make('policy-webhook-ca', { ca: true });
const other = await make('other-ca', { ca: true });
const serving = await make('policy-webhook.policy.svc', { sans: ['policy-webhook.policy.svc'], signer: ca });
const shortName = await make('policy-webhook', { sans: ['policy-webhook', 'policy-webhook.policy'], signer: ca });
const servingSecret = (cert) => secret('policy-webhook-tls', { 'tls.crt': cert.cert, 'tls.key': cert.key, 'ca.crt': ca.cert });
const repoOf = (dir, caBundle, cert = serving) => {
  write(`${dir}/webhook.yaml`, [...webhook({ caBundle }), '---', ...service, '---', ...deployment]);
  write(`${dir}/secret.yaml`, servingSecret(cert));
};

rmSync(ROOT, { recursive: true, force: true });
repoOf('clean', ca.cert);
repoOf('wrong-ca', other.cert);
repoOf('missing-san', ca.cert, shortName);
// cainjector writes the CA of other-issuer, which did not sign the served certificate.
write('inject-ca/webhook.yaml', [...webhook({ inject: 'policy/policy-webhook-cert' }), '---', ...service, '---', ...deployment]);
write('inject-ca/secret.yaml', servingSecret(serving));
write('inject-ca/cert-manager.yaml', [...certificate(['policy-webhook.policy.svc'], 'other-issuer'), '---', ...caIssuer('other-issuer', 'other-ca')]);
write('inject-ca/other-ca.yaml', secret('other-ca', { 'tls.crt': other.cert, 'tls.key': other.key }));
// The served Secret is written by cert-manager (not in the repository): its dnsNames lack the name the API server dials.
write('certificate-san/webhook.yaml', [...webhook({ caBundle: ca.cert }), '---', ...service, '---', ...deployment]);
write('certificate-san/cert-manager.yaml', [
  ...certificate(['policy-webhook.policy.svc.cluster.local'], 'ca-issuer'),
  '---',
  ...caIssuer('ca-issuer', 'ca-key-pair'),
]);
write('certificate-san/ca-key-pair.yaml', secret('ca-key-pair', { 'tls.crt': ca.cert, 'tls.key': ca.key }));
// The Service is defined elsewhere (a platform repository): nothing to compare, no finding.
write('no-service/webhook.yaml', webhook({ caBundle: other.cert }));
write('no-service/secret.yaml', servingSecret(serving));
// Two Services of that name deployed with the webhook: ambiguous, no finding.
repoOf('ambiguous', other.cert);
write('ambiguous/service-copy.yaml', service);
// Two overlays, each a kustomization with the same names: resolved within each, staging's CA is wrong.
for (const [env, bundle] of [
  ['prod', ca.cert],
  ['staging', other.cert],
]) {
  repoOf(`units/${env}`, bundle);
  write(`units/${env}/kustomization.yaml`, ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources: [webhook.yaml, secret.yaml]']);
}
