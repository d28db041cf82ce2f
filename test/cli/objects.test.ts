import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli';
import { REPO_ROOT } from '../support/paths';

const OBJECTS = join(REPO_ROOT, 'test', 'fixtures', 'objects');

/** Secrets, webhooks and APIServices in a GitOps-shaped tree, checked by `kube-pki check` as a user runs it. */
describe('kube-pki check on API objects', () => {
  it('a webhook, its Secret and caBundle, an Ingress and its wildcard Secret: no problems, exit 0', () => {
    const run = runCli(['check', join(OBJECTS, 'clean'), '--now', '2026-01-01T00:00:00Z']);
    assert.equal(run.stdout, '\u2713 no problems (4 config files checked)\n');
    assert.equal(run.status, 0);
  });

  it('one finding per fault, on the value, naming the object and key; exit 1', () => {
    const run = runCli(['check', join(OBJECTS, 'bad'), '--now', '2026-01-01T00:00:00Z']);
    assert.equal(run.stdout, EXPECTED_BAD);
    assert.equal(run.status, 1);
  });

  it("real manifests (ingress-nginx's admission webhook, metrics-server's APIService): only metrics-server's insecureSkipTLSVerify", () => {
    const run = runCli(['check', join(OBJECTS, 'real'), '--format', 'json', '--now', '2026-01-01T00:00:00Z']);
    const findings = JSON.parse(run.stdout).diagnostics.map((d: { file: string; line: number; code: string }) => `${d.file}:${d.line} ${d.code}`);
    assert.deepEqual(findings, ['metrics-server/apiservice.yaml:11 apiservice-insecure']);
    assert.equal(run.status, 0);
  });
});

describe('kube-pki inspect and expiry on API objects', () => {
  it('inspect prints every value of a manifest under its object and key, a key only by its public facts', () => {
    const run = runCli(['inspect', join(OBJECTS, 'clean', 'webhook-secret.yaml'), '--at', '2026-01-01T00:00:00Z']);
    const headings = run.stdout.split('\n').filter((l) => l.startsWith('  # '));
    assert.deepEqual(headings, [
      '  # Secret policy/policy-webhook-tls data.tls.crt, line 8',
      '  # Secret policy/policy-webhook-tls data.tls.key, line 9',
      '  # Secret policy/policy-webhook-tls data.ca.crt, line 10',
    ]);
    assert.match(run.stdout, /Subject: +CN=policy-webhook\.policy\.svc\n/);
    assert.doesNotMatch(run.stdout, /PRIVATE KEY-----|LS0tLS1CRUdJTiBQUklWQVRF/);
    assert.equal(run.status, 0);
  });

  it('inspect exits 2 on a value that does not decode, naming it', () => {
    const run = runCli(['inspect', join(OBJECTS, 'bad', 'pem-invalid.yaml')]);
    assert.equal(
      run.stderr,
      `kube-pki: ${join(OBJECTS, 'bad', 'pem-invalid.yaml')}: Secret web/broken-tls data.tls.crt (line 8): tls.crt of Secret web/broken-tls holds no certificate (tls.crt needs a certificate)\n`,
    );
    assert.equal(run.status, 2);
  });

  it("expiry lists the Secrets' certificates and CA, with the object and key as the field", () => {
    const run = runCli(['expiry', join(OBJECTS, 'clean'), '--format', 'json', '--now', '2026-01-01T00:00:00Z']);
    const table = JSON.parse(run.stdout);
    const rows = (list: Array<{ role: string; file: string; field: string; line: number; ca: string | null }>) =>
      list.map((r) => `${r.role} ${r.file}:${r.line} ${r.field} <- ${r.ca}`);
    assert.deepEqual(rows(table.certificates), [
      'tls.crt ingress-tls.yaml:8 Secret web/wildcard-tls tls.crt <- ca.crt',
      'tls.crt webhook-secret.yaml:8 Secret policy/policy-webhook-tls tls.crt <- ca.crt',
    ]);
    assert.deepEqual(rows(table.authorities), ['ca.crt webhook-secret.yaml:10 Secret policy/policy-webhook-tls ca.crt <- null']);
    assert.equal(run.status, 0);
  });
});

const EXPECTED_BAD =
  'apiservice-insecure.yaml\n  8:26  warning      APIService v1beta1.metrics.k8s.io sets insecureSkipTLSVerify: true: the API server does not verify the serving certificate of metrics-server, so anyone who can answer for that service sees and answers its requests  apiservice-insecure\n\nca-mismatch.yaml\n  10:11  error        tls.crt of Secret web/wrong-ca-tls is not signed by its ca.crt, so clients that trust ca.crt reject it: its issuer "CN=policy-webhook-ca" is not among the trusted CAs  ca-mismatch\n\nchain-order.yaml\n  8:12  error        tls.crt of Secret web/reversed-tls: the leaf (CN=policy-webhook.policy.svc) is certificate 2, not the first; TLS servers send the first as their own  chain-order\n\nexpired.yaml\n  8:12  error        tls.crt of Secret web/old-tls expired 1826 days ago (CN=old.example.com, notAfter 2021-01-01T00:00:00Z)  cert-expired\n\nkey-mismatch.yaml\n  9:12  error        tls.key of Secret web/mixed-tls does not belong to its tls.crt: its public half 0A:47:C4:A2:6F:1A:84:71... differs from the certificate\'s 46:CA:34:21:E3:62:0D:EF...  key-mismatch\n\npem-invalid.yaml\n  8:12  error        tls.crt of Secret web/broken-tls holds no certificate (tls.crt needs a certificate)  pem-invalid\n\nweak-key.yaml\n  8:12  warning      tls.crt of Secret web/weak-tls: RSA key of 1024 bits is weak (use 2048 bits or more)  weak-key\n\n✖ 7 problems (5 errors, 2 warnings) in 7 config files\n';
