import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyMismatch } from '../../server/src/engine/rules/keyMismatch';
import { kubeconfigCredential } from '../../server/src/engine/rules/kubeconfigCredential';
import { b64, clusterCa, findings, kubeconfig, pki } from '../support/ruleTester';

const ADMIN = 'etc/kubernetes/admin.conf';
const admin = () =>
  pki('admin', {
    subject: [
      ['CN', 'kubernetes-admin'],
      ['O', 'system:masters'],
    ],
    usages: ['clientAuth'],
    signer: clusterCa(),
  });

/** A kubeconfig whose context "ctx" uses user "u" with these lines under `user:`, and an unused user "spare" with `spare`. */
function config(user: string[], spare?: string[]): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    '    server: https://192.168.10.10:6443',
    '  name: c',
    'contexts:',
    '- context: {cluster: c, user: u}',
    '  name: ctx',
    'current-context: ctx',
    'users:',
    '- name: u',
    user.length ? '  user:' : '  user: {}',
    ...user.map((l) => `    ${l}`),
    ...(spare ? ['- name: spare', spare.length ? '  user:' : '  user: {}', ...spare.map((l) => `    ${l}`)] : []),
    '',
  ].join('\n');
}

describe('kubeconfig-credential', () => {
  it('is silent for a certificate with its key, a token, an exec plugin, basic auth, and an empty user no context names', async () => {
    const ca = await clusterCa();
    assert.deepEqual(await findings(kubeconfigCredential, { [ADMIN]: kubeconfig('kubernetes-admin', await admin(), ca) }), []);
    for (const user of [
      ['client-certificate: /etc/kubernetes/pki/admin.crt', 'client-key: /etc/kubernetes/pki/admin.key'],
      ['token: abc.def'],
      ['tokenFile: /var/run/secrets/token'],
      ['exec:', '  apiVersion: client.authentication.k8s.io/v1', '  command: aws'],
      ['auth-provider:', '  name: oidc'],
      ['username: admin', 'password: secret'],
    ]) {
      assert.deepEqual(await findings(kubeconfigCredential, { [ADMIN]: config(user, []) }), [], user[0]);
    }
  });

  it('reports a client certificate without its key on the certificate field, and not as a key mismatch too', async () => {
    const pair = await admin();
    const tree = { [ADMIN]: config([`client-certificate-data: ${b64(pair.cert)}`]) };
    assert.deepEqual(await findings(kubeconfigCredential, tree), [
      `${ADMIN}:14:5-14:28 user "u" has client-certificate-data but no client-key or client-key-data: client-go (kubectl and every component) refuses this user: client-key-data or client-key must be specified for u to use the clientCert authentication method`,
    ]);
    assert.deepEqual(await findings(keyMismatch, tree), []);
    // An empty key is no key, as client-go reads it.
    assert.deepEqual(await findings(kubeconfigCredential, { [ADMIN]: config(['client-certificate: admin.crt', 'client-key: ""']) }), [
      `${ADMIN}:14:5-14:23 user "u" has client-certificate but no client-key or client-key-data: client-go (kubectl and every component) refuses this user: client-key-data or client-key must be specified for u to use the clientCert authentication method`,
    ]);
  });

  it('reports a key without its certificate, also for a user no context names', async () => {
    assert.deepEqual(await findings(kubeconfigCredential, { [ADMIN]: config(['token: abc'], ['client-key: /etc/kubernetes/pki/admin.key']) }), [
      `${ADMIN}:17:5-17:15 user "spare" has client-key but no client-certificate or client-certificate-data: client-go (kubectl and every component) refuses this user: client-cert-data or client-cert must be specified for spare to use the clientCert authentication method`,
    ]);
  });

  it("reports a context's user with no credentials on its name, once however many contexts use it", async () => {
    const NO_CREDENTIALS =
      'has no credentials (no client certificate and key, token, tokenFile, exec, auth-provider or username and password): the API server takes its requests as system:anonymous';
    assert.deepEqual(await findings(kubeconfigCredential, { [ADMIN]: config([]) }), [`${ADMIN}:12:9-12:10 user "u" (of context "ctx") ${NO_CREDENTIALS}`]);
    // Only impersonation, or an empty token, is no credential either.
    const twoContexts = config(['as: admin', 'token: ""']).replace(
      'current-context: ctx',
      '- context: {cluster: c, user: u}\n  name: ctx2\ncurrent-context: ctx',
    );
    assert.deepEqual(await findings(kubeconfigCredential, { [ADMIN]: twoContexts }), [
      `${ADMIN}:14:9-14:10 user "u" (of context "ctx", "ctx2") ${NO_CREDENTIALS}`,
    ]);
  });
});
