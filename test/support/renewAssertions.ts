import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FixSpec } from '../../server/src/engine/check/fixSpec';
import { planFix } from '../../server/src/engine/fix/applyFix';
import { PathGuard } from '../../server/src/engine/io/pathGuard';
import { runCli } from './cli';
import { openssl } from './openssl';

/** The clock renew tests run at, the backup suffix it gives, and a minute later for openssl's -attime. */
export const RENEW_NOW = '2027-06-01T00:00:00Z';
export const RENEW_BAK = '.bak-20270601T000000Z';
const AT = String(Date.parse(RENEW_NOW) / 1000 + 60);

export const readRel = (root: string, rel: string) => readFileSync(join(root, rel), 'utf8');
export const pemBlocks = (text: string) => text.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g) ?? [];

/** A renewed certificate (`renewedPem`, the first of `rel`) against its .bak copy: same key and subject, the new notAfter, openssl verifies `rel`. */
export function assertRenewedCert(root: string, rel: string, renewedPem: string, ca: string, notAfter: string): void {
  const [old, renewed] = [new X509Certificate(readRel(root, `${rel}${RENEW_BAK}`)), new X509Certificate(renewedPem)];
  assert.equal(renewed.subject, old.subject);
  assert.ok(renewed.publicKey.equals(old.publicKey), `${rel} keeps its key`);
  assert.equal(new Date(renewed.validTo).toISOString(), notAfter);
  assertVerifies(root, rel, ca);
}

/** openssl verifies the (first) certificate of `rel` against `ca`, a minute after RENEW_NOW. */
export function assertVerifies(root: string, rel: string, ca: string): void {
  assert.match(openssl(['verify', '-attime', AT, '-CAfile', join(root, ca), join(root, rel)]), /: OK/);
}

export function assertCheckClean(root: string): void {
  const check = runCli(['check', root, '--now', RENEW_NOW]);
  assert.match(check.stdout, /no problems/);
  assert.equal(check.status, 0);
}

/**
 * A k3s/RKE2 re-issuing quick fix of the API server's serving certificate under `tls`: 365 days, the CA appended, one file
 * written (leaf + server-ca byte for byte). Applies it and returns the new leaf's PEM.
 */
export async function applyRancherServingReissue(root: string, fix: FixSpec | undefined, tls: string): Promise<string> {
  assert.ok(fix?.kind === 'issue-certificate', 'san-missing carries a re-issue fix');
  assert.equal(fix.validityDays, 365);
  assert.equal(fix.appendChain, true);
  const plan = await planFix(new PathGuard({ readRoots: [root], writeRoots: [root] }), fix, new Date(RENEW_NOW));
  assert.deepEqual(
    plan.writes.map((w) => w.path),
    [join(root, tls, 'serving-kube-apiserver.crt')],
  );
  const blocks = pemBlocks(plan.writes[0].content);
  assert.equal(blocks.length, 2);
  assert.equal(blocks[1], readRel(root, `${tls}/server-ca.crt`));
  writeFileSync(join(root, tls, 'serving-kube-apiserver.crt'), plan.writes[0].content);
  return blocks[0];
}
