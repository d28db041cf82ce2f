import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hoverTlsLink } from '../../server/src/engine/features/tlsLinkHover';
import { b64, clusterCa, contextOf, pki, ROOT } from '../support/ruleTester';

const ingress = (secretName: string) =>
  [
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata:',
    '  name: shop',
    '  namespace: web',
    'spec:',
    '  tls:',
    '  - hosts: [shop.example.com]',
    `    secretName: ${secretName}`,
    '',
  ].join('\n');

const secret = (name: string, cert: string) =>
  ['apiVersion: v1', 'kind: Secret', 'metadata:', `  name: ${name}`, '  namespace: web', 'data:', `  tls.crt: ${b64(cert)}`, ''].join('\n');

const certificate = [
  'apiVersion: cert-manager.io/v1',
  'kind: Certificate',
  'metadata:',
  '  name: shop-cert',
  '  namespace: web',
  'spec:',
  '  secretName: issued-tls',
  '  dnsNames: [shop.example.com]',
  '  issuerRef: {name: letsencrypt, kind: ClusterIssuer}',
  '',
].join('\n');

describe('hover on an Ingress host and secretName', () => {
  it("shows the Secret's certificate (subject, SANs, expiry), a Secret not in the workspace, and the Certificate that writes one", async () => {
    const leaf = await pki('hover-wildcard', { subject: [['CN', '*.example.com']], sans: ['*.example.com'], signer: clusterCa() });
    const ctx = await contextOf({
      'a/ingress.yaml': ingress('shop-tls'),
      'a/secret.yaml': secret('shop-tls', leaf.cert),
      'b/ingress.yaml': ingress('elsewhere-tls'),
      'c/ingress.yaml': ingress('issued-tls'),
      'c/certificate.yaml': certificate,
    });
    const host = hoverTlsLink(ctx, [], `${ROOT}/a/ingress.yaml`, { line: 7, character: 15 });
    assert.equal(
      host?.markdown,
      '**host shop.example.com** of Ingress web/shop\n\nSecret web/shop-tls: CN=\\*.example.com · DNS:\\*.example.com · expires in 214 days',
    );
    assert.deepEqual(host?.range, { start: { line: 7, character: 12 }, end: { line: 7, character: 28 } });
    assert.equal(
      hoverTlsLink(ctx, [], `${ROOT}/b/ingress.yaml`, { line: 8, character: 18 })?.markdown,
      '**Secret elsewhere-tls** of Ingress web/shop\n\nSecret web/elsewhere-tls is not in the workspace',
    );
    assert.equal(
      hoverTlsLink(ctx, [], `${ROOT}/c/ingress.yaml`, { line: 8, character: 18 })?.markdown,
      '**Secret issued-tls** of Ingress web/shop\n\nSecret web/issued-tls is written by Certificate web/shop-cert (issuer ClusterIssuer letsencrypt) (ClusterIssuer letsencrypt is not in the workspace): dnsNames shop.example.com',
    );
    assert.equal(hoverTlsLink(ctx, [], `${ROOT}/a/ingress.yaml`, { line: 3, character: 8 }), undefined);
  });
});
