import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli';
import { REPO_ROOT } from '../support/paths';

const INGRESS = join(REPO_ROOT, 'test', 'fixtures', 'objects', 'ingress');

/** Ingress, Gateway and cert-manager objects linked to their Secrets, checked by `kube-pki check` as a user runs it. */
describe('kube-pki check on Ingress, Gateway and cert-manager objects', () => {
  it('a wildcard Secret, a Certificate writing a Secret not in the repository, a Secret defined elsewhere, a Gateway: no problems, exit 0', () => {
    const run = runCli(['check', join(INGRESS, 'clean'), '--now', '2026-01-01T00:00:00Z']);
    assert.equal(run.stdout, '\u2713 no problems (4 config files checked)\n');
    assert.equal(run.status, 0);
  });

  it('each host not covered, a rule host without tls, a Certificate missing a name, an Issuer whose CA is a leaf: one finding each, on the value', () => {
    const run = runCli(['check', join(INGRESS, 'bad'), '--format', 'json', '--now', '2026-01-01T00:00:00Z']);
    const findings = JSON.parse(run.stdout).diagnostics.map(
      (d: { file: string; line: number; column: number; code: string }) => `${d.file}:${d.line}:${d.column} ${d.code}`,
    );
    assert.deepEqual(findings, [
      'certificate.yaml:9:5 ingress-host-not-covered',
      'certificate.yaml:34:17 issuer-ca-invalid',
      'gateway.yaml:10:15 ingress-host-not-covered',
      'ingress.yaml:9:7 ingress-host-not-covered',
      'ingress.yaml:10:7 ingress-host-not-covered',
      'ingress.yaml:15:11 ingress-host-without-tls',
    ]);
    assert.equal(run.status, 1);
  });
});
