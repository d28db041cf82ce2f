import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { runCli } from '../support/cli';
import { makeKubeadmNode } from '../support/clusterFixture';
import { missingPeer } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { lineOf } from '../support/seed';

const skip = missingPeer('openssl');

describeNeeding('kube-pki check (CLI)', skip, () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'kube-pki-cli-check-'));
    makeKubeadmNode(root);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('exits 0 with a one-line summary on a clean node', () => {
    const run = runCli(['check', root]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(run.stdout, '✓ no problems (11 config files checked)\n');
  });

  it('prints eslint-style text, JSON and SARIF for the same finding, and exits 1', () => {
    unlinkSync(join(root, 'etc/kubernetes/pki/front-proxy-client.crt'));
    const line = lineOf(root, 'etc/kubernetes/manifests/kube-apiserver.yaml', '--proxy-client-cert-file=');
    const text = runCli(['check', root]);
    assert.equal(text.status, 1);
    assert.equal(
      text.stdout,
      `etc/kubernetes/manifests/kube-apiserver.yaml\n  ${line}:32  error        /etc/kubernetes/pki/front-proxy-client.crt (--proxy-client-cert-file) does not exist: looked for etc/kubernetes/pki/front-proxy-client.crt  file-not-found\n\n✖ 1 problem (1 error, 0 warnings) in 11 config files\n`,
    );
    const json = runCli(['check', root, '--format', 'json']);
    assert.equal(json.status, 1);
    assert.deepEqual(JSON.parse(json.stdout), {
      version: 1,
      diagnostics: [
        {
          file: 'etc/kubernetes/manifests/kube-apiserver.yaml',
          line,
          column: 32,
          endLine: line,
          endColumn: 32 + '/etc/kubernetes/pki/front-proxy-client.crt'.length,
          severity: 'error',
          code: 'file-not-found',
          message: '/etc/kubernetes/pki/front-proxy-client.crt (--proxy-client-cert-file) does not exist: looked for etc/kubernetes/pki/front-proxy-client.crt',
        },
      ],
    });
    const sarif = JSON.parse(runCli(['check', root, '--format', 'sarif']).stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'kube-pki');
    assert.ok(run.tool.driver.rules.some((r: { id: string }) => r.id === 'file-not-found'));
    assert.deepEqual(run.results[0].locations[0].physicalLocation, {
      artifactLocation: { uri: 'etc/kubernetes/manifests/kube-apiserver.yaml', uriBaseId: 'SRCROOT' },
      region: { startLine: line, startColumn: 32, endLine: line, endColumn: 32 + '/etc/kubernetes/pki/front-proxy-client.crt'.length },
    });
    assert.equal(run.results[0].level, 'error');
  });

  it('warns about expiry with --now and --expiry-warning, exit 0 for warnings only', () => {
    const clean = mkdtempSync(join(tmpdir(), 'kube-pki-cli-expiry-'));
    try {
      makeKubeadmNode(clean, { days: 20 });
      const warned = runCli(['check', clean, '--format', 'json']);
      assert.equal(warned.status, 0);
      const codes = JSON.parse(warned.stdout).diagnostics.map((d: { code: string }) => d.code);
      assert.ok(codes.length > 0 && codes.every((c: string) => c === 'cert-expiring-soon'));
      assert.equal(runCli(['check', clean, '--expiry-warning', '7']).status, 0);
      assert.match(runCli(['check', clean, '--expiry-warning', '7']).stdout, /^✓ no problems/);
      const later = runCli(['check', clean, '--now', new Date(Date.now() + 30 * 86_400_000).toISOString(), '--format', 'json']);
      assert.equal(later.status, 1);
      assert.ok(JSON.parse(later.stdout).diagnostics.some((d: { code: string }) => d.code === 'cert-expired'));
    } finally {
      rmSync(clean, { recursive: true, force: true });
    }
  });

  it('exits 2 on usage and I/O errors', () => {
    assert.equal(runCli(['check', join(root, 'nope')]).status, 2);
    assert.match(runCli(['check', join(root, 'nope')]).stderr, /nope: no such directory/);
    assert.equal(runCli(['check', root, '--format', 'xml']).status, 2);
    assert.equal(runCli(['check', root, '--expiry-warning', 'soon']).status, 2);
    writeFileSync(join(root, 'file'), '');
    assert.match(runCli(['check', join(root, 'file')]).stderr, /not a directory/);
  });
});
