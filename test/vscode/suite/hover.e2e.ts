// Story 1: hovering a certificate flag in a static pod manifest, or a certificate value of an API object, shows the decoded certificate.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import { APISERVER_MANIFEST, activated, hoverText, openAt, openAtTlsCertFile } from './workspace';

suite('hover', () => {
  suiteSetup(activated);

  test('--tls-cert-file in kube-apiserver.yaml: the decoded apiserver certificate and where the path went', async () => {
    const { uri, position } = await openAtTlsCertFile();
    const text = await hoverText(uri, position);
    assert.match(text, /CN=kube-apiserver/);
    assert.match(text, /etc\/kubernetes\/pki\/apiserver\.crt/);
    assert.match(text, /kubernetes\.default\.svc/, 'the SANs are listed');
    assert.match(text, /expires in \d+ days?|EXPIRED/);
    assert.doesNotMatch(text, /PRIVATE KEY/);
    // The answer first (VS Code caps a hover's height; its problem hover above says the finding), the rest behind a link.
    const lines = text.split('\n');
    assert.equal(lines[0].trimEnd(), '**--tls-cert-file** · API server serving certificate (kube-apiserver)');
    assert.match(lines[1], /^✓ signed by etc\/kubernetes\/pki\/ca\.crt/);
    assert.doesNotMatch(text, /san-missing|SHA-256 fingerprint/);
    assert.match(text, /\[Show all fields\]\(command:kubePki\.previewCertificate\?/);
  });

  test('--tls-private-key-file: public facts of the key only', async () => {
    const { uri, position } = await openAt(
      APISERVER_MANIFEST,
      '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
      '--tls-private-key-file='.length + 5,
    );
    const text = await hoverText(uri, position);
    assert.match(text, /RSA|ECDSA|EC/);
    assert.match(text, /apiserver\.key/);
    assert.doesNotMatch(text, /-----BEGIN|MII[A-Za-z0-9+/]{20}/, 'no key material');
  });

  // The runner's apps/ folder (scripts/realClients/workspace.mjs): the example's etcd serving certificate and CA as API objects.
  test("a Secret's tls.crt: the decoded certificate under the object and key", async () => {
    const { uri, position } = await openAt('apps/webhook-tls.yaml', 'tls.crt: ', 'tls.crt: '.length + 10);
    const text = await hoverText(uri, position);
    const lines = text.split('\n');
    assert.equal(lines[0].trimEnd(), '**data.tls.crt** of Secret apps/webhook-server-tls');
    assert.match(text, /^\*\*Certificate CN=cp-1\*\*/m);
    assert.match(text, /expires in \d+ days?/);
    assert.doesNotMatch(text, /LS0tLS1CRUdJTi/, 'not the base64 itself');
  });

  test("a webhook configuration's caBundle: the decoded CA", async () => {
    const { uri, position } = await openAt('apps/webhook.yaml', 'caBundle: ', 'caBundle: '.length + 10);
    const text = await hoverText(uri, position);
    assert.equal(text.split('\n')[0].trimEnd(), '**webhooks[0].clientConfig.caBundle** of ValidatingWebhookConfiguration policy-webhook');
    assert.match(text, /CA certificate CN=etcd-ca/);
  });
});
