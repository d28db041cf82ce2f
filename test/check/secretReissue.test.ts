import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { FixSpec } from '../../server/src/engine/check/fixSpec';
import { planFix } from '../../server/src/engine/fix/applyFix';
import { PathGuard } from '../../server/src/engine/io/pathGuard';
import { checkTree } from '../../server/src/engine/run/runCheck';
import { LineIndex } from '../../server/src/engine/text/lineIndex';
import { REPO_ROOT } from '../support/paths';

const LINKS = join(REPO_ROOT, 'test', 'fixtures', 'objects', 'links');
const SVC = 'policy-webhook.policy.svc';
const TITLE = `Re-issue tls.crt of Secret policy/policy-webhook-tls with ${SVC} added (signed by tls.crt of Secret policy/policy-webhook-ca, same key)`;
const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fixture folder copied to a temporary one, as a user's repository. */
function copyOf(fixture: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-pki-reissue-'));
  made.push(dir);
  cpSync(join(LINKS, fixture), dir, { recursive: true });
  return dir;
}

/** The check's findings as "file:line code", and the one fix they carry. */
async function checked(dir: string): Promise<{ seen: string[]; fixes: FixSpec[] }> {
  const report = await checkTree(dir);
  const seen = report.findings.map((f) => `${f.file.slice(dir.length + 1)}:${f.range.start.line + 1} ${f.code}`);
  return { seen, fixes: report.findings.flatMap((f) => (f.fix ? [f.fix] : [])) };
}

/** The Secret's certificate, key and the CA as node:crypto reads them (the independent judge). */
function secretOf(dir: string, field: 'data' | 'stringData'): { cert: X509Certificate; key: string; ca: X509Certificate } {
  const secret = parse(readFileSync(join(dir, 'secret.yaml'), 'utf8'));
  const caSecret = parse(readFileSync(join(dir, 'ca-secret.yaml'), 'utf8'));
  const text = (v: string) => (field === 'data' ? Buffer.from(v, 'base64').toString('utf8') : v);
  return {
    cert: new X509Certificate(text(secret[field]['tls.crt'])),
    key: text(secret[field]['tls.key']),
    ca: new X509Certificate(Buffer.from(caSecret.data['tls.crt'], 'base64').toString('utf8')),
  };
}

for (const [fixture, field] of [
  ['reissue-san', 'data'],
  ['reissue-san-pem', 'stringData'],
] as const) {
  describe(`san-missing on a Secret's ${field} tls.crt whose CA key is in the repository: re-issued by the quick fix`, () => {
    it('the finding carries the fix; applied, the certificate has the name, verifies, matches tls.key, and the check is clean', async () => {
      const dir = copyOf(fixture);
      const before = readFileSync(join(dir, 'secret.yaml'), 'utf8');
      const old = secretOf(dir, field).cert;
      const first = await checked(dir);
      assert.deepEqual(first.seen, ['secret.yaml:8 san-missing']);
      assert.equal(first.fixes.length, 1);
      const [fix] = first.fixes;
      assert.equal(fix.title, TITLE);
      assert.ok(fix.kind === 'reissue-secret-cert');
      // The spec names where the keys are, never their bytes.
      assert.doesNotMatch(JSON.stringify(fix), /PRIVATE KEY|LS0tLS1CRUdJTiBQUklWQVRF/);
      const plan = await planFix(new PathGuard({ readRoots: [dir], writeRoots: [dir] }), fix);
      assert.deepEqual(
        plan.writes.map((w) => [w.path, w.replaces]),
        [[join(dir, 'secret.yaml'), true]],
      );
      writeFileSync(join(dir, 'secret.yaml'), plan.writes[0].content);
      const { cert, key, ca } = secretOf(dir, field);
      assert.equal(cert.subjectAltName, `DNS:policy-webhook, DNS:policy-webhook.policy, DNS:${SVC}`);
      assert.equal(cert.subject, old.subject);
      assert.ok(cert.verify(ca.publicKey));
      assert.ok(cert.checkPrivateKey(createPrivateKey(key)));
      assert.equal(Date.parse(cert.validTo) - Date.parse(cert.validFrom), Date.parse(old.validTo) - Date.parse(old.validFrom));
      assert.deepEqual((await checked(dir)).seen, []);
      // Every byte outside the tls.crt value is the same.
      const range = fix.cert.range;
      const lines = new LineIndex(before);
      const [start, end] = [lines.offsetAt(range.start), lines.offsetAt(range.end)];
      const after = plan.writes[0].content;
      assert.equal(after.slice(0, start), before.slice(0, start));
      assert.equal(after.slice(after.length - (before.length - end)), before.slice(end));
    });
  });
}

describe('no re-issue without the CA key in the repository', () => {
  it('the same Secret with its CA Secret gone: the finding, no fix', async () => {
    const dir = copyOf('reissue-san');
    rmSync(join(dir, 'ca-secret.yaml'));
    const { seen, fixes } = await checked(dir);
    assert.deepEqual(seen, ['secret.yaml:8 san-missing']);
    assert.deepEqual(fixes, []);
  });
});

describe('ingress-host-not-covered on a Secret whose CA key is in the repository: the fix adds the host', () => {
  it("the finding is on the Ingress's host, the edit on the Secret; applied, the check is clean", async () => {
    const dir = copyOf('reissue-ingress');
    const first = await checked(dir);
    assert.deepEqual(first.seen, ['ingress.yaml:24 ingress-host-not-covered']);
    const [fix] = first.fixes;
    assert.equal(
      fix?.title,
      'Re-issue tls.crt of Secret default/fortune-teller.stack.build with fortune-teller.stack.build added (signed by tls.crt of Secret default/stack-build-ca, same key)',
    );
    const plan = await planFix(new PathGuard({ readRoots: [dir], writeRoots: [dir] }), fix);
    assert.deepEqual(
      plan.writes.map((w) => w.path),
      [join(dir, 'secret.yaml')],
    );
    writeFileSync(join(dir, 'secret.yaml'), plan.writes[0].content);
    const cert = new X509Certificate(Buffer.from(parse(plan.writes[0].content).data['tls.crt'], 'base64').toString('utf8'));
    assert.equal(cert.subjectAltName, 'DNS:grpc.stack.build, DNS:fortune-teller.stack.build');
    assert.deepEqual((await checked(dir)).seen, []);
  });
});
