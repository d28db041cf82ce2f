import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli';
import { REPO_ROOT } from '../support/paths';

const fixture = (name: string) => join(REPO_ROOT, 'test', 'fixtures', 'trust', name);

/** Go's verdict by default, RFC 5280 violations as warnings; --strict rejects them (openssl verify -x509_strict). */
describe('kube-pki verify --strict', () => {
  const cases: Array<[string, string, string]> = [
    ['seed-admin.crt', 'seed-ca.crt', 'CN=Kubernetes-CA: as a trust anchor, it has no basicConstraints extension, so it is not a CA (RFC 5280 4.2.1.9)'],
    ['keycertsign-leaf.crt', 'loose-ca.crt', 'CN=worker: asserts keyCertSign in its Key Usage without basicConstraints CA:TRUE (RFC 5280 4.2.1.3)'],
    ['empty-subject-leaf.crt', 'loose-ca.crt', '(empty subject): its subject is empty but its subjectAltName extension is not critical (RFC 5280 4.2.1.6)'],
    [
      'underscore-leaf.crt',
      'loose-ca.crt',
      'CN=etcd: its DNS name "etcd_1.example" holds an underscore, which a host name may not (RFC 5280 4.2.1.6, the preferred name syntax of RFC 1034)',
    ],
  ];
  const looseCa = "CN=loose-ca: its basicConstraints is not critical, which a CA's must be (RFC 5280 4.2.1.9)";

  for (const [leaf, ca, warning] of cases) {
    it(`${leaf}: accepted with the warning by default, rejected with --strict`, () => {
      const expected = ca === 'loose-ca.crt' ? [warning, looseCa] : [warning];
      const text = runCli(['verify', fixture(leaf), '--ca', fixture(ca)]);
      assert.equal(text.status, 0, text.stdout + text.stderr);
      assert.ok(
        text.stdout.endsWith(
          `${fixture(leaf)}: OK\nwarnings: (RFC 5280 violations Go accepts; --strict rejects them)\n${expected.map((w) => `  - ${w}\n`).join('')}`,
        ),
        text.stdout,
      );
      const json = runCli(['verify', fixture(leaf), '--ca', fixture(ca), '--format', 'json']);
      assert.equal(json.status, 0);
      const parsed = JSON.parse(json.stdout);
      assert.deepEqual([parsed.accepted, parsed.warnings, parsed.reasons], [true, expected, []]);

      const strict = runCli(['verify', fixture(leaf), '--ca', fixture(ca), '--strict', '--format', 'json']);
      assert.equal(strict.status, 1);
      const rejected = JSON.parse(strict.stdout);
      assert.deepEqual([rejected.accepted, rejected.warnings, [...rejected.reasons].sort()], [false, [], [...expected].sort()]);
    });
  }
});
