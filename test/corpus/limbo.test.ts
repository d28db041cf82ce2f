import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import type { CertificateInfo } from '../../server/src/engine/pki/certificate';
import { decodePemText } from '../../server/src/engine/pki/decode';
import { verifyCertificate } from '../../server/src/engine/verify/chain';
import { corpusOrSkip, describeNeeding } from '../support/paths';

/**
 * x509-limbo cases, run through verifyCertificate: the very function behind
 * `kube-pki verify`, in both modes. With --strict (RFC 5280, as openssl verify
 * -x509_strict) we agree with every expected verdict. By default the verdict is
 * Go's: each difference is listed here with Go's behaviour as the reason, and
 * must be a strict-only rejection (a warning in default mode).
 */
const GO_DIFFERENCES: Record<string, string> = {
  'limbo/rfc5280::ca-empty-subject':
    'Go accepts a root with an empty subject: it checks a root only as the issuer of the certificate below it (CheckSignatureFrom), never its subject',
};

interface LimboCase {
  id: string;
  trusted: string[];
  intermediates: string[];
  leaf: string;
  validation_time: string;
  peer_name: { kind: 'dns' | 'ip'; value: string } | null;
  required_eku: 'serverAuth' | 'clientAuth' | null;
  expected: 'accept' | 'reject';
}

function certificates(pems: string[]): CertificateInfo[] {
  return pems.flatMap((pem) =>
    decodePemText(pem).blocks.map((block) => {
      assert.equal(block.object?.kind, 'certificate', block.error);
      return block.object as CertificateInfo;
    }),
  );
}

const path = corpusOrSkip('x509-limbo/public.json');

describeNeeding('x509-limbo public cases', path === undefined ? 'skipped: corpus not found' : false, () => {
  const cases: LimboCase[] = path ? JSON.parse(readFileSync(path, 'utf8')).cases : [];
  const outcomes: Record<'strict' | 'go', string[]> = { strict: [], go: [] };

  for (const c of cases) {
    for (const mode of ['strict', 'go'] as const)
      it(`${c.id} (${mode === 'strict' ? '--strict' : "Go's verdict"})`, () => {
        const [leaf] = certificates([c.leaf]);
        const result = verifyCertificate(leaf, {
          trusted: certificates(c.trusted),
          intermediates: certificates(c.intermediates),
          at: new Date(c.validation_time),
          host: c.peer_name?.kind === 'dns' ? c.peer_name.value : undefined,
          ip: c.peer_name?.kind === 'ip' ? c.peer_name.value : undefined,
          purpose: c.required_eku === 'serverAuth' ? 'server' : c.required_eku === 'clientAuth' ? 'client' : undefined,
          strict: mode === 'strict',
        });
        const verdict = result.accepted ? 'accept' : 'reject';
        outcomes[mode].push(verdict === c.expected ? 'agree' : 'differ');
        if (verdict === 'reject') assert.ok(result.reasons.length > 0, 'a rejection always carries reasons');
        if (mode === 'go' && GO_DIFFERENCES[c.id]) {
          assert.notEqual(verdict, c.expected, `${c.id} is listed as a difference from Go but now agrees: remove it from the list`);
          assert.ok(result.warnings.length > 0, 'what Go accepts and strict rejects is a warning');
          return;
        }
        assert.equal(verdict, c.expected, `expected ${c.expected}; reasons: ${result.reasons.join(' | ')}`);
      });
  }

  it("strict agrees with every case; Go's verdict with every case that is not a listed difference", () => {
    assert.equal(cases.length, 38);
    const strict = outcomes.strict.filter((o) => o === 'agree').length;
    const go = outcomes.go.filter((o) => o === 'agree').length;
    const listed = Object.keys(GO_DIFFERENCES).length;
    process.stdout.write(`# x509-limbo --strict: agree with ${strict} of ${cases.length} cases\n`);
    process.stdout.write(`# x509-limbo Go's verdict: agree with ${go} of ${cases.length} cases; differences, each Go's behaviour: ${listed}\n`);
    for (const [id, why] of Object.entries(GO_DIFFERENCES)) process.stdout.write(`#   ${id}: ${why}\n`);
    assert.equal(strict, cases.length);
    assert.equal(go, cases.length - listed);
  });
});
