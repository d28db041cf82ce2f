import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ingressHostNotCovered } from '../../server/src/engine/rules/ingressHostNotCovered';
import { b64, clusterCa, findings, pki } from '../support/ruleTester';

const wildcard = () => pki('ingress-wildcard', { subject: [['CN', '*.example.com']], sans: ['*.example.com', 'example.com'], signer: clusterCa() });

const secret = (name: string, cert: string) =>
  [
    'apiVersion: v1',
    'kind: Secret',
    'type: kubernetes.io/tls',
    'metadata:',
    `  name: ${name}`,
    '  namespace: web',
    'data:',
    `  tls.crt: ${b64(cert)}`,
    '',
  ].join('\n');

const ingress = (hosts: string[], secretName = 'shop-tls') =>
  [
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata:',
    '  name: shop',
    '  namespace: web',
    'spec:',
    '  tls:',
    '  - hosts:',
    ...hosts.map((h) => `    - ${h}`),
    `    secretName: ${secretName}`,
    '  rules:',
    ...hosts.map((h) => `  - host: ${h}`),
    '',
  ].join('\n');

const certificate = (dnsNames: string[]) =>
  [
    'apiVersion: cert-manager.io/v1',
    'kind: Certificate',
    'metadata:',
    '  name: shop-cert',
    '  namespace: web',
    'spec:',
    '  secretName: shop-tls',
    '  dnsNames:',
    ...dnsNames.map((d) => `  - "${d}"`),
    '  issuerRef:',
    '    name: letsencrypt',
    '    kind: ClusterIssuer',
    '',
  ].join('\n');

describe('ingress-host-not-covered', () => {
  it('is silent when a wildcard certificate covers every host, and when the Secret is not in the workspace', async () => {
    const cert = (await wildcard()).cert;
    assert.deepEqual(
      await findings(ingressHostNotCovered, {
        'a/ingress.yaml': ingress(['shop.example.com', 'example.com']),
        'a/secret.yaml': secret('shop-tls', cert),
        'b/ingress.yaml': ingress(['shop.example.org'], 'elsewhere-tls'),
      }),
      [],
    );
  });

  it('reports a host the certificate does not name, and a wildcard two labels deep, on the host', async () => {
    const cert = (await wildcard()).cert;
    assert.deepEqual(
      await findings(ingressHostNotCovered, {
        'ingress.yaml': ingress(['shop.example.org', 'eu.shop.example.com']),
        'secret.yaml': secret('shop-tls', cert),
      }),
      [
        'ingress.yaml:9:7-9:23 Ingress web/shop serves shop.example.org with Secret web/shop-tls, whose certificate does not cover it: missing SAN DNS name shop.example.org (the certificate has DNS:*.example.com, DNS:example.com)',
        'ingress.yaml:10:7-10:26 Ingress web/shop serves eu.shop.example.com with Secret web/shop-tls, whose certificate does not cover it: missing SAN DNS name eu.shop.example.com (the certificate has DNS:*.example.com, DNS:example.com)',
      ],
    );
  });

  it('never links a Secret of another kustomization, and an ambiguous Secret is no finding', async () => {
    const cert = (await wildcard()).cert;
    assert.deepEqual(
      await findings(ingressHostNotCovered, {
        'clusters/prod/kustomization.yaml': 'resources: [ingress.yaml]\n',
        'clusters/prod/ingress.yaml': ingress(['shop.example.org']),
        'clusters/staging/kustomization.yaml': 'resources: [secret.yaml]\n',
        'clusters/staging/secret.yaml': secret('shop-tls', cert),
        'flat/ingress.yaml': ingress(['shop.example.org']),
        'flat/one.yaml': secret('shop-tls', cert),
        'flat/two.yaml': secret('shop-tls', cert),
      }),
      [],
    );
  });

  it("checks a Gateway listener's hostname against its certificateRefs", async () => {
    const cert = (await wildcard()).cert;
    const gateway = [
      'apiVersion: gateway.networking.k8s.io/v1',
      'kind: Gateway',
      'metadata:',
      '  name: edge',
      '  namespace: web',
      'spec:',
      '  gatewayClassName: istio',
      '  listeners:',
      '  - name: https',
      '    hostname: api.example.net',
      '    port: 443',
      '    protocol: HTTPS',
      '    tls:',
      '      certificateRefs:',
      '      - name: shop-tls',
      '  - name: passthrough',
      '    hostname: db.example.net',
      '    protocol: TLS',
      '    tls:',
      '      mode: Passthrough',
      '  - name: wild',
      '    hostname: "*.example.com"',
      '    protocol: HTTPS',
      '    tls:',
      '      certificateRefs:',
      '      - kind: Secret',
      '        name: shop-tls',
      '',
    ].join('\n');
    assert.deepEqual(await findings(ingressHostNotCovered, { 'gateway.yaml': gateway, 'secret.yaml': secret('shop-tls', cert) }), [
      'gateway.yaml:10:15-10:30 Gateway web/edge serves api.example.net with Secret web/shop-tls, whose certificate does not cover it: missing SAN DNS name api.example.net (the certificate has DNS:*.example.com, DNS:example.com)',
    ]);
  });

  it("reports on a Certificate's dnsNames when it writes the Secret (in the workspace or not), once per host", async () => {
    const cert = (await wildcard()).cert;
    assert.deepEqual(
      await findings(ingressHostNotCovered, {
        'ingress.yaml': ingress(['shop.example.com', 'cart.example.com']),
        'certificate.yaml': certificate(['shop.example.com']),
        'secret.yaml': secret('shop-tls', cert),
      }),
      [
        'certificate.yaml:9:5-9:23 Certificate web/shop-cert writes Secret shop-tls, which Ingress web/shop serves cart.example.com with, but its dnsNames do not cover cart.example.com (they are shop.example.com)',
      ],
    );
    assert.deepEqual(
      await findings(ingressHostNotCovered, { 'ingress.yaml': ingress(['shop.example.com']), 'certificate.yaml': certificate(['*.example.com']) }),
      [],
    );
  });
});
