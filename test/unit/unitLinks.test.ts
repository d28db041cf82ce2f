import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hoverObjectValue } from '../../server/src/engine/features/objectValueFeatures';
import { hoverTlsLink } from '../../server/src/engine/features/tlsLinkHover';
import { caMismatch } from '../../server/src/engine/rules/caMismatch';
import { ingressHostNotCovered } from '../../server/src/engine/rules/ingressHostNotCovered';
import { pemInvalid } from '../../server/src/engine/rules/pemInvalid';
import { sanMissing } from '../../server/src/engine/rules/sanMissing';
import { b64, contextOf, findings, type MemoryTree, pki, ROOT } from '../support/ruleTester';
import { kustomizationYaml, serviceYaml, tlsSecretYaml, webhookYaml, workloadYaml } from '../support/webhookRepo';

// Links stay inside one deployable unit: clusters/<x> trees, kustomize overlays over a shared base.

const prodCa = () => pki('units-prod-ca', { subject: [['CN', 'prod webhook CA']], ca: true });
const stagingCa = () => pki('units-staging-ca', { subject: [['CN', 'staging webhook CA']], ca: true });
const SVC = 'policy-webhook.policy.svc';
const serving = (name: string, signer: ReturnType<typeof prodCa>) => pki(name, { subject: [['CN', SVC]], sans: [SVC], signer });

const both = async (tree: MemoryTree) => [...(await findings(caMismatch, tree)), ...(await findings(sanMissing, tree))];

/** One cluster's webhook: configuration, Service, Deployment and Secret, each in its own file under `dir`. */
function cluster(dir: string, caBundle: string, secret: { cert: string; ca: string }): MemoryTree {
  return {
    [`${dir}/webhook.yaml`]: webhookYaml(caBundle),
    [`${dir}/service.yaml`]: serviceYaml('policy'),
    [`${dir}/deployment.yaml`]: workloadYaml('Deployment', 'policy'),
    [`${dir}/secret.yaml`]: tlsSecretYaml('policy-webhook-tls', 'policy', { 'tls.crt': secret.cert, 'ca.crt': secret.ca }),
  };
}

/** The caBundle's hover lines before the decoded description. */
async function hoverHead(tree: MemoryTree, file: string, line: number): Promise<string[]> {
  const ctx = await contextOf(tree);
  const hover = hoverObjectValue(ctx, [], `${ROOT}/${file}`, { line, character: 16 });
  assert.ok(hover);
  return hover.markdown.split('\n\n')[0].split('\n').slice(1);
}

const caBundleAt = (ca: string, line = 8) => `${line}:15-${line}:${15 + b64(ca).length}`;
const wrongCa = (secretFix: string) =>
  `caBundle of ValidatingWebhookConfiguration policy-webhook (webhook validate.policy.example.com) does not sign the certificate Service policy/policy-webhook serves (Secret policy/policy-webhook-tls tls.crt via Deployment policy/policy-webhook, volume certs): the API server rejects the webhook with x509: certificate signed by unknown authority [fix: ${secretFix}]`;

describe('webhook links inside one deployable unit', () => {
  it('clusters/prod and clusters/staging with same-named Services and Secrets: each webhook links within its own cluster', async () => {
    const [prod, staging] = [await prodCa(), await stagingCa()];
    const prodLeaf = await serving('units-prod-leaf', prodCa());
    const stagingLeaf = await serving('units-staging-leaf', stagingCa());
    const clean = {
      ...cluster('clusters/prod', prod.cert, { ...prodLeaf, ca: prod.cert }),
      ...cluster('clusters/staging', staging.cert, { ...stagingLeaf, ca: staging.cert }),
    };
    assert.deepEqual(await both(clean), []);
    // Staging's caBundle is prod's CA: only staging's webhook is wrong (across the tree the Secret would be ambiguous: no finding).
    const mixed = { ...clean, 'clusters/staging/webhook.yaml': webhookYaml(prod.cert) };
    assert.deepEqual(await both(mixed), [
      `clusters/staging/webhook.yaml:${caBundleAt(prod.cert)} ${wrongCa('Replace caBundle with ca.crt of Secret policy/policy-webhook-tls')}`,
    ]);
    assert.deepEqual(await hoverHead(mixed, 'clusters/prod/webhook.yaml', 7), [
      '→ served by policy-webhook.policy.svc via Deployment policy/policy-webhook, volume certs (tls.crt of Secret policy/policy-webhook-tls)',
    ]);
  });

  it('a kustomize base used by two overlays links in each overlay (their namespace: applied); a fault in one is one finding on the base', async () => {
    const prod = await prodCa();
    const prodLeaf = await serving('units-prod-leaf', prodCa());
    const stagingLeaf = await serving('units-staging-leaf', stagingCa());
    const tree: MemoryTree = {
      'base/kustomization.yaml': kustomizationYaml(['webhook.yaml', 'service.yaml', 'deployment.yaml']),
      'base/webhook.yaml': webhookYaml(prod.cert),
      'base/service.yaml': serviceYaml(),
      'base/deployment.yaml': workloadYaml('Deployment'),
      'overlays/prod/kustomization.yaml': kustomizationYaml(['../../base', 'secret.yaml'], 'policy'),
      'overlays/prod/secret.yaml': tlsSecretYaml('policy-webhook-tls', undefined, { 'tls.crt': prodLeaf.cert }),
      'overlays/staging/kustomization.yaml': kustomizationYaml(['../../base', 'secret.yaml'], 'policy'),
      'overlays/staging/secret.yaml': tlsSecretYaml('policy-webhook-tls', undefined, { 'tls.crt': stagingLeaf.cert }),
    };
    assert.deepEqual(await both(tree), [
      `base/webhook.yaml:${caBundleAt(prod.cert)} caBundle of ValidatingWebhookConfiguration policy-webhook (webhook validate.policy.example.com) does not sign the certificate Service policy-webhook serves (Secret policy-webhook-tls tls.crt via Deployment policy-webhook, volume certs): the API server rejects the webhook with x509: certificate signed by unknown authority`,
    ]);
    assert.deepEqual(await hoverHead(tree, 'base/webhook.yaml', 7), [
      '→ in overlays/prod/kustomization.yaml: served by policy-webhook.policy.svc via Deployment policy-webhook, volume certs (tls.crt of Secret policy-webhook-tls)  ',
      '→ in overlays/staging/kustomization.yaml: served by policy-webhook.policy.svc via Deployment policy-webhook, volume certs (tls.crt of Secret policy-webhook-tls)',
    ]);
    assert.deepEqual(await hoverHead(tree, 'overlays/staging/secret.yaml', 6), [
      '← in overlays/staging/kustomization.yaml: verified by caBundle of ValidatingWebhookConfiguration policy-webhook (webhook validate.policy.example.com), which dials policy-webhook.policy.svc',
    ]);
  });

  it('two same-named Secrets in one unit are ambiguous: no finding, the hover lists the candidates', async () => {
    const prod = await prodCa();
    const leaf = await serving('units-prod-leaf', prodCa());
    const other = (await stagingCa()).cert;
    const tree = {
      ...cluster('clusters/prod', other, { ...leaf, ca: prod.cert }),
      'clusters/prod/apps/copy.yaml': tlsSecretYaml('policy-webhook-tls', 'policy', { 'tls.crt': leaf.cert }),
    };
    assert.deepEqual(await both(tree), []);
    assert.deepEqual(await hoverHead(tree, 'clusters/prod/webhook.yaml', 7), [
      '→ served by policy-webhook.policy.svc via Deployment policy/policy-webhook, volume certs; Secret policy/policy-webhook-tls is ambiguous: Secret policy/policy-webhook-tls in clusters/prod/apps/copy.yaml, Secret policy/policy-webhook-tls in clusters/prod/secret.yaml',
    ]);
  });
});

const ingressYaml = (host: string, namespace?: string) =>
  [
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata:',
    '  name: shop',
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    'spec:',
    '  tls:',
    `  - hosts: [${host}]`,
    '    secretName: shop-tls',
    '',
  ].join('\n');

describe('Ingress links inside one deployable unit', () => {
  it('clusters/prod and clusters/staging Secrets of one name: each Ingress is checked against its own cluster', async () => {
    const prodCert = (await pki('units-shop-prod', { subject: [['CN', 'shop.example.com']], sans: ['shop.example.com'], signer: prodCa() })).cert;
    const stagingCert = (
      await pki('units-shop-staging', { subject: [['CN', 'shop.staging.example.com']], sans: ['shop.staging.example.com'], signer: stagingCa() })
    ).cert;
    const tree: MemoryTree = {
      'clusters/prod/ingress.yaml': ingressYaml('shop.example.com', 'web'),
      'clusters/prod/secret.yaml': tlsSecretYaml('shop-tls', 'web', { 'tls.crt': prodCert }),
      'clusters/staging/ingress.yaml': ingressYaml('shop.example.com', 'web'),
      'clusters/staging/secret.yaml': tlsSecretYaml('shop-tls', 'web', { 'tls.crt': stagingCert }),
    };
    assert.deepEqual(await findings(ingressHostNotCovered, tree), [
      'clusters/staging/ingress.yaml:8:13-8:29 Ingress web/shop serves shop.example.com with Secret web/shop-tls, whose certificate does not cover it: missing SAN DNS name shop.example.com (the certificate has DNS:shop.staging.example.com)',
    ]);
  });

  it("a base's Ingress in two overlays: its hover says each overlay's Secret", async () => {
    const prodCert = (await pki('units-shop-prod', { subject: [['CN', 'shop.example.com']], sans: ['shop.example.com'], signer: prodCa() })).cert;
    const tree: MemoryTree = {
      'base/kustomization.yaml': kustomizationYaml(['ingress.yaml']),
      'base/ingress.yaml': ingressYaml('shop.example.com'),
      'overlays/prod/kustomization.yaml': kustomizationYaml(['../../base', 'secret.yaml'], 'web'),
      'overlays/prod/secret.yaml': tlsSecretYaml('shop-tls', undefined, { 'tls.crt': prodCert }),
      'overlays/dev/kustomization.yaml': kustomizationYaml(['../../base'], 'web'),
    };
    assert.deepEqual(await findings(ingressHostNotCovered, tree), []);
    const ctx = await contextOf(tree);
    const hover = hoverTlsLink(ctx, [], `${ROOT}/base/ingress.yaml`, { line: 6, character: 14 });
    assert.deepEqual(hover?.markdown.split('\n\n')[1].split('\n'), [
      'in overlays/dev/kustomization.yaml: Secret shop-tls is not in the workspace  ',
      'in overlays/prod/kustomization.yaml: Secret shop-tls: CN=shop.example.com · DNS:shop.example.com · expires in 214 days',
    ]);
  });
});

describe('a bare Pod as the webhook workload', () => {
  it('links Service -> Pod -> Secret volume -> the cert file its args name: ca-mismatch names the Pod, a clean one gives none', async () => {
    const prod = await prodCa();
    const leaf = await serving('units-prod-leaf', prodCa());
    const other = (await stagingCa()).cert;
    const tree = (caBundle: string): MemoryTree => ({
      'webhook.yaml': webhookYaml(caBundle),
      'service.yaml': serviceYaml('policy'),
      'pod.yaml': workloadYaml('Pod', 'policy', 'policy-webhook-certs', '/certs/serving.pem'),
      'secret.yaml': tlsSecretYaml('policy-webhook-certs', 'policy', { 'serving.pem': leaf.cert, 'tls.crt': other }),
    });
    assert.deepEqual(await both(tree(prod.cert)), []);
    assert.deepEqual(await both(tree(other)), [
      `webhook.yaml:${caBundleAt(other)} caBundle of ValidatingWebhookConfiguration policy-webhook (webhook validate.policy.example.com) does not sign the certificate Service policy/policy-webhook serves (Secret policy/policy-webhook-certs serving.pem via Pod policy/policy-webhook, volume certs): the API server rejects the webhook with x509: certificate signed by unknown authority`,
    ]);
    assert.deepEqual(await hoverHead(tree(prod.cert), 'webhook.yaml', 7), [
      '→ served by policy-webhook.policy.svc via Pod policy/policy-webhook, volume certs (serving.pem of Secret policy/policy-webhook-certs)',
    ]);
  });
});

describe('cert-manager.io/inject-ca-from-secret', () => {
  const ANNOTATION = { 'cert-manager.io/inject-ca-from-secret': 'policy/policy-webhook-ca' };
  /** A webhook with an empty caBundle that cainjector fills from Secret policy/policy-webhook-ca holding `ca`. */
  async function injected(ca: Record<string, string>): Promise<MemoryTree> {
    const leaf = await serving('units-prod-leaf', prodCa());
    return {
      'webhook.yaml': webhookYaml(undefined, { annotations: ANNOTATION }),
      'service.yaml': serviceYaml('policy'),
      'deployment.yaml': workloadYaml('Deployment', 'policy'),
      'secret.yaml': tlsSecretYaml('policy-webhook-tls', 'policy', { 'tls.crt': leaf.cert }),
      'ca.yaml': tlsSecretYaml('policy-webhook-ca', 'policy', ca),
    };
  }
  const mismatch = (key: string) =>
    `webhook.yaml:6:44-6:68 cert-manager.io/inject-ca-from-secret of ValidatingWebhookConfiguration policy-webhook names Secret policy/policy-webhook-ca, whose CA (${key}) does not sign the certificate Service policy/policy-webhook serves (Secret policy/policy-webhook-tls tls.crt via Deployment policy/policy-webhook, volume certs): cainjector writes that CA into caBundle and the API server rejects the webhook with x509: certificate signed by unknown authority`;

  it("the Secret's ca.crt signs the served certificate: no finding, and the empty caBundle is none either", async () => {
    const tree = await injected({ 'ca.crt': (await prodCa()).cert });
    assert.deepEqual([...(await both(tree)), ...(await findings(pemInvalid, tree))], []);
    assert.deepEqual(await hoverHead(tree, 'secret.yaml', 7), [
      '← verified by the CA cert-manager injects into the caBundle of ValidatingWebhookConfiguration policy-webhook (webhook validate.policy.example.com), which dials policy-webhook.policy.svc',
    ]);
  });

  it('another CA in ca.crt, or a CA tls.crt without ca.crt: ca-mismatch on the annotation', async () => {
    const other = await stagingCa();
    assert.deepEqual(await both(await injected({ 'ca.crt': other.cert })), [mismatch('ca.crt')]);
    assert.deepEqual(await both(await injected({ 'tls.crt': other.cert, 'tls.key': other.key })), [mismatch('tls.crt')]);
    // A tls.crt that is no CA is not what cainjector injects: nothing known, no finding.
    assert.deepEqual(await both(await injected({ 'tls.crt': (await serving('units-staging-leaf', stagingCa())).cert })), []);
  });
});

describe('a webhook dialling clientConfig.url', () => {
  const HOST = 'policy.example.com';
  const urlIngress = [
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata:',
    '  name: policy',
    '  namespace: web',
    'spec:',
    '  tls:',
    `  - hosts: [${HOST}]`,
    '    secretName: policy-tls',
    '',
  ].join('\n');
  const leafFor = () => pki('units-url-leaf', { subject: [['CN', HOST]], sans: [HOST], signer: prodCa() });

  it("links the url's host to the Ingress serving it and that Ingress's Secret: ca-mismatch when the caBundle does not sign it", async () => {
    const [prod, other, leaf] = [await prodCa(), await stagingCa(), await leafFor()];
    const tree = (ca: string): MemoryTree => ({
      'webhook.yaml': webhookYaml(ca, { url: `https://${HOST}/validate` }),
      'ingress.yaml': urlIngress,
      'secret.yaml': tlsSecretYaml('policy-tls', 'web', { 'tls.crt': leaf.cert }),
    });
    assert.deepEqual(await both(tree(prod.cert)), []);
    assert.deepEqual(await both(tree(other.cert)), [
      `webhook.yaml:${caBundleAt(other.cert)} caBundle of ValidatingWebhookConfiguration policy-webhook (webhook validate.policy.example.com) does not sign the certificate ${HOST} serves (Secret web/policy-tls tls.crt via Ingress web/policy): the API server rejects the webhook with x509: certificate signed by unknown authority`,
    ]);
    assert.deepEqual(await hoverHead(tree(prod.cert), 'webhook.yaml', 7), [`→ served by ${HOST} via Ingress web/policy (tls.crt of Secret web/policy-tls)`]);
  });

  it("a Certificate naming the host (its Secret not in the repository): its issuer's CA is what the caBundle must trust", async () => {
    const [prod, other] = [await prodCa(), await stagingCa()];
    const certificate = [
      'apiVersion: cert-manager.io/v1',
      'kind: Certificate',
      'metadata: {name: policy-cert, namespace: web}',
      'spec:',
      '  secretName: policy-tls',
      `  dnsNames: [${HOST}]`,
      '  issuerRef: {name: policy-ca, kind: Issuer}',
      '---',
      'apiVersion: cert-manager.io/v1',
      'kind: Issuer',
      'metadata: {name: policy-ca, namespace: web}',
      'spec:',
      '  ca: {secretName: policy-ca}',
      '',
    ].join('\n');
    const tree = (ca: string): MemoryTree => ({
      'webhook.yaml': webhookYaml(ca, { url: `https://${HOST}/validate` }),
      'cert-manager.yaml': certificate,
      'ca.yaml': tlsSecretYaml('policy-ca', 'web', { 'tls.crt': prod.cert, 'tls.key': prod.key }),
    });
    assert.deepEqual(await both(tree(prod.cert)), []);
    assert.deepEqual(await both(tree(other.cert)), [
      `webhook.yaml:${caBundleAt(other.cert)} caBundle of ValidatingWebhookConfiguration policy-webhook (webhook validate.policy.example.com) does not sign the certificate ${HOST} serves (Secret written by Certificate web/policy-cert): the API server rejects the webhook with x509: certificate signed by unknown authority [fix: Replace caBundle with tls.crt of Secret web/policy-ca]`,
    ]);
  });

  it('a host nothing in the repository serves: no finding, the hover says the server is outside the repository', async () => {
    const tree = { 'webhook.yaml': webhookYaml((await stagingCa()).cert, { url: 'https://hooks.example.net:8443/validate' }) };
    assert.deepEqual(await both(tree), []);
    assert.deepEqual(await hoverHead(tree, 'webhook.yaml', 7), [
      '→ served by hooks.example.net; nothing in the workspace serves hooks.example.net: the server is outside the repository',
    ]);
  });
});
