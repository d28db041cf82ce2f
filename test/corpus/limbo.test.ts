import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { CertificateInfo } from '../../server/src/engine/pki/certificate';
import { decodePemText } from '../../server/src/engine/pki/decode';
import { verifyCertificate } from '../../server/src/engine/verify/chain';
import { corpusOrSkip } from '../support/paths';

/**
 * x509-limbo cases, run through verifyCertificate: the very function behind
 * `kube-pki verify`. A disagreement fails the test unless it is listed here
 * with the reason we accept it. The list is empty: we agree with all 38.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {};

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

describe('x509-limbo public cases', { skip: path === undefined ? 'skipped: corpus not found' : false }, () => {
  const cases: LimboCase[] = path ? JSON.parse(readFileSync(path, 'utf8')).cases : [];
  const outcomes: string[] = [];

  for (const c of cases) {
    it(c.id, () => {
      const [leaf] = certificates([c.leaf]);
      const result = verifyCertificate(leaf, {
        trusted: certificates(c.trusted),
        intermediates: certificates(c.intermediates),
        at: new Date(c.validation_time),
        host: c.peer_name?.kind === 'dns' ? c.peer_name.value : undefined,
        ip: c.peer_name?.kind === 'ip' ? c.peer_name.value : undefined,
        purpose: c.required_eku === 'serverAuth' ? 'server' : c.required_eku === 'clientAuth' ? 'client' : undefined,
      });
      const verdict = result.accepted ? 'accept' : 'reject';
      outcomes.push(verdict === c.expected ? 'agree' : 'differ');
      if (verdict === 'reject') assert.ok(result.reasons.length > 0, 'a rejection always carries reasons');
      if (KNOWN_DIFFERENCES[c.id]) {
        assert.notEqual(verdict, c.expected, `${c.id} is listed as a known difference but now agrees: remove it from the list`);
        return;
      }
      assert.equal(verdict, c.expected, `expected ${c.expected}; reasons: ${result.reasons.join(' | ')}`);
    });
  }

  it('agrees with every case that is not a listed difference', () => {
    assert.equal(cases.length, 38);
    const agreed = outcomes.filter((o) => o === 'agree').length;
    process.stdout.write(`# x509-limbo: agree with ${agreed} of ${cases.length} cases; known differences: ${Object.keys(KNOWN_DIFFERENCES).length}\n`);
    assert.equal(agreed, cases.length - Object.keys(KNOWN_DIFFERENCES).length);
  });
});
