import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { issuerCaInvalid } from '../../server/src/engine/rules/issuerCaInvalid';
import { keyMismatch } from '../../server/src/engine/rules/keyMismatch';
import { b64, clusterCa, findings, otherCa, pki } from '../support/ruleTester';

const secret = (name: string, cert: string, key?: string) =>
  [
    'apiVersion: v1',
    'kind: Secret',
    'type: kubernetes.io/tls',
    'metadata:',
    `  name: ${name}`,
    '  namespace: cert-manager',
    'data:',
    `  tls.crt: ${b64(cert)}`,
    ...(key ? [`  tls.key: ${b64(key)}`] : []),
    '',
  ].join('\n');

const clusterIssuer = (secretName: string) =>
  ['apiVersion: cert-manager.io/v1', 'kind: ClusterIssuer', 'metadata:', '  name: ca-issuer', 'spec:', '  ca:', `    secretName: ${secretName}`, ''].join('\n');

describe('issuer-ca-invalid', () => {
  it('is silent with a CA and its key, and when the Secret is not in the workspace', async () => {
    const ca = await clusterCa();
    assert.deepEqual(
      await findings(issuerCaInvalid, {
        'a/issuer.yaml': clusterIssuer('root-ca'),
        'a/secret.yaml': secret('root-ca', ca.cert, ca.key),
        'b/issuer.yaml': clusterIssuer('elsewhere'),
      }),
      [],
    );
  });

  it("reports a leaf as the CA and a missing key, on secretName; a mismatched key is key-mismatch's", async () => {
    const ca = await clusterCa();
    const leaf = await pki('issuer-leaf', { subject: [['CN', 'not-a-ca']], signer: clusterCa() });
    const other = await otherCa();
    const at = '7:17-7:24';
    assert.deepEqual(await findings(issuerCaInvalid, { 'a/issuer.yaml': clusterIssuer('root-ca'), 'a/secret.yaml': secret('root-ca', leaf.cert, leaf.key) }), [
      `a/issuer.yaml:${at} ClusterIssuer ca-issuer signs with Secret cert-manager/root-ca, whose tls.crt is not a CA certificate (no basicConstraints CA:TRUE): cert-manager cannot sign with it`,
    ]);
    // A key of another certificate is key-mismatch's finding, on the Secret's tls.key: not reported twice.
    const mismatched = { 'a/issuer.yaml': clusterIssuer('root-ca'), 'a/secret.yaml': secret('root-ca', ca.cert, other.key) };
    assert.deepEqual(await findings(issuerCaInvalid, mismatched), []);
    assert.equal((await findings(keyMismatch, mismatched)).length, 1);
    assert.deepEqual(await findings(issuerCaInvalid, { 'a/issuer.yaml': clusterIssuer('root-ca'), 'a/secret.yaml': secret('root-ca', ca.cert) }), [
      `a/issuer.yaml:${at} ClusterIssuer ca-issuer signs with Secret cert-manager/root-ca, which holds no tls.key: cert-manager needs the CA's private key to sign`,
    ]);
  });
});
