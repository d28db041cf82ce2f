import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { service } from '../support/service';
import { TalosFaults, talosCluster } from '../support/talosFixture';

const NOW = new Date('2025-06-01T00:00:00Z');

/** A folder holding controlplane.yaml and talosconfig as `talosctl gen config` writes them, with `faults` seeded. */
async function tree(faults: TalosFaults = {}, extra: Record<string, string> = {}): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'kube-pki-talos-'));
  for (const [name, text] of Object.entries({ ...(await talosCluster(faults)), ...extra })) writeFileSync(join(root, name), text, { mode: 0o600 });
  return root;
}

/** "code file:line:col message", one-based as the CLI prints it. */
async function seen(root: string): Promise<string[]> {
  const report = await service.checkTree(root, { now: NOW });
  return report.findings.map((f) => `${f.code} ${f.file.slice(root.length + 1)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`);
}

describe('Talos: controlplane.yaml and talosconfig', () => {
  it('a clean cluster checks clean: Ed25519 keys under ED25519 PRIVATE KEY and the empty-subject aggregator CA are normal', async () => {
    const root = await tree();
    const report = await service.checkTree(root, { now: NOW });
    assert.equal(report.configFiles, 3);
    assert.deepEqual(await seen(root), []);
  });

  it('cert-expired: the talosconfig client certificate, on its crt line', async () => {
    assert.deepEqual(await seen(await tree({ expiredClient: true })), [
      'cert-expired talosconfig:9:14 the crt of context demo in talosconfig expired 31 days ago (O=os:admin, notAfter 2025-05-01T00:00:00Z)',
    ]);
  });

  it('ca-mismatch: a talosconfig client certificate another CA signed, on its crt line', async () => {
    assert.deepEqual(await seen(await tree({ foreignClient: true })), [
      "ca-mismatch talosconfig:9:14 the crt of context demo in talosconfig is not signed by the machine.ca.crt in controlplane.yaml, so the Talos API rejects talosctl: no chain to a trusted CA could be built; the Ed25519 signature does not verify with the issuer's public key",
    ]);
  });

  it('key-mismatch: cluster.ca.key holding the etcd CA key, on its key line', async () => {
    const [finding, ...rest] = await seen(await tree({ clusterKeyMismatch: true }));
    assert.deepEqual(rest, []);
    assert.match(
      finding,
      /^key-mismatch controlplane\.yaml:27:14 the cluster\.ca\.key in controlplane\.yaml does not belong to the cluster\.ca\.crt in controlplane\.yaml: its public half [0-9A-F:]+\.\.\. differs from the certificate's [0-9A-F:]+\.\.\.; the key belongs to the cluster\.etcd\.ca\.crt in controlplane\.yaml instead$/,
    );
  });

  it('identity-mismatch: a talosconfig client certificate holding no Talos role, when the control plane enables RBAC', async () => {
    assert.deepEqual(await seen(await tree({ clientWithoutRole: true })), [
      'identity-mismatch talosconfig:9:14 the crt of context demo in talosconfig has O "ops", none of Talos\'s roles (os:admin, os:operator, os:reader, os:etcd:backup, os:impersonator): with machine.features.rbac: true the Talos API denies talosctl every call',
    ]);
    // RBAC off (Talos's default when the key is absent): every client is an admin, the same certificate is fine.
    const files = await talosCluster({ clientWithoutRole: true });
    const root = await tree({}, { ...files, 'controlplane.yaml': files['controlplane.yaml'].replace('        rbac: true\n', '        rbac: false\n') });
    assert.deepEqual(await seen(root), []);
  });

  it('san-missing: a talosconfig endpoint name absent from machine.certSANs, on the endpoint', async () => {
    assert.deepEqual(await seen(await tree({ endpointNotInSANs: true })), [
      "san-missing talosconfig:5:15 talos.example.org, an endpoint of context demo in talosconfig, is not in the machine.certSANs of controlplane.yaml: Talos makes its API certificate for machine.certSANs, the hostname and the node's addresses only, so talosctl rejects the Talos API",
    ]);
  });

  it('pem-invalid: a value that is not base64 of a certificate', async () => {
    const root = await tree({}, { 'worker.yaml': 'version: v1alpha1\nmachine:\n    type: worker\n    ca:\n        crt: bm90IGEgY2VydA==\n        key: ""\n' });
    assert.deepEqual(await seen(root), [
      'pem-invalid worker.yaml:5:14 the machine.ca.crt in worker.yaml: no PEM block found (expected a "-----BEGIN ...-----" line)',
    ]);
  });

  it('kube-pki expiry lists the Talos CAs and the talosconfig client by role, their keys inline', async () => {
    const table = await service.expiry(await tree(), { now: NOW });
    // worker.yaml's copies of the CAs are the same certificates: one row each, where they are first named.
    assert.deepEqual(
      [...table.authorities, ...table.certificates].map((r) => [r.role, r.subject, r.field, r.line + 1, r.ca, r.caKeyPresent]),
      [
        ['aggregator CA', '(empty subject)', 'cluster.aggregatorCA.crt', 29, null, true],
        ['etcd CA', 'O=etcd', 'cluster.etcd.ca.crt', 35, null, true],
        ['kubernetes CA', 'O=kubernetes', 'cluster.ca.crt', 26, null, true],
        ['talos machine CA', 'O=talos', 'machine.ca.crt', 8, null, true],
        ['talosconfig client (context demo)', 'O=os:admin', 'demo', 9, 'talos machine CA', true],
      ],
    );
  });

  it('hover decodes every value, a key by its public facts only; lenses name subject and expiry', async () => {
    const root = await tree();
    const report = await service.checkTree(root, { now: NOW });
    const file = join(root, 'talosconfig');
    const crt = service.hover(report, file, { line: 8, character: 20 });
    assert.match(crt?.markdown ?? '', /os:admin/);
    const key = service.hover(report, file, { line: 9, character: 20 });
    assert.match(key?.markdown ?? '', /Ed25519/);
    assert.match(key?.markdown ?? '', /✓ matches the crt of context demo in talosconfig/);
    assert.doesNotMatch(key?.markdown ?? '', /PRIVATE KEY-----|MC4CAQAwBQYDK2Vw/);
    const aggregator = service.hover(report, join(root, 'controlplane.yaml'), { line: 28, character: 20 });
    assert.match(aggregator?.markdown ?? '', /empty subject/i);
    assert.deepEqual(
      service.lenses(report, file).map((l) => [l.range.start.line + 1, l.title]),
      [
        [8, 'O=talos · expires in 3501 d'],
        [9, 'O=os:admin · expires in 214 d'],
      ],
    );
  });
});
