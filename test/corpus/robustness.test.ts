import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { describeBlock } from '../../server/src/engine/format/describe';
import { renderMarkdown } from '../../server/src/engine/format/markdown';
import { DecodedFile, decodePkiBytes } from '../../server/src/engine/pki/decode';
import { corpusOrSkip, describeNeeding } from '../support/paths';

type Expectation = 'error' | 'parse' | 'parse+diag';

/**
 * Where our verdict differs from SOURCES.md's suggested expectation, and why.
 * Any other difference fails the test.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {
  'bigoid.pem': 'the large OID decodes exactly; nothing in it matters to a Kubernetes PKI, so no diagnostic',
  'department-of-state-root.pem': 'its unusual extension content decodes cleanly with the schemas we use; nothing Kubernetes-relevant to flag',
  'custom/rsa_pss.pem': 'RSASSA-PSS signatures are valid X.509 and accepted by Go; we decode and verify them without a diagnostic',
  'custom/cp_invalid.pem': 'certificatePolicies is decoded by @peculiar/asn1-x509, which accepts this qualifier; Kubernetes ignores policies',
  'custom/cp_invalid2.der': 'as cp_invalid.pem: the policy qualifier passes the schema; Kubernetes ignores policies',
  'requests/freeipa-bad-critical.pem': 'an explicitly encoded critical=FALSE is non-DER; Go accepts it, so we warn (non-der-encoding) instead of failing',
};

/** What we did with a file, in SOURCES.md's terms. */
function classify(file: DecodedFile): { verdict: Expectation; detail: string } {
  const decoded = file.blocks.filter((b) => b.object);
  const objectErrors = decoded.flatMap((b) => b.object!.problems.filter((p) => p.severity === 'error').map((p) => p.message));
  const blockErrors = file.blocks.filter((b) => b.error).map((b) => b.error!);
  if (file.error || decoded.length === 0 || objectErrors.length > 0) {
    return { verdict: 'error', detail: [file.error, ...blockErrors, ...objectErrors].filter(Boolean).join('; ') };
  }
  const warnings = decoded.flatMap((b) => b.object!.problems.filter((p) => p.severity === 'warning').map((p) => p.code));
  if (warnings.length > 0 || blockErrors.length > 0) return { verdict: 'parse+diag', detail: [...warnings, ...blockErrors].join(', ') };
  return { verdict: 'parse', detail: '' };
}

/** "parse" means unusual but valid: a diagnostic on top (e.g. a SHA-1 signature) still agrees. */
function agrees(expected: Expectation, got: Expectation): boolean {
  return expected === got || (expected === 'parse' && got === 'parse+diag');
}

const dir = corpusOrSkip('robustness');

describeNeeding('robustness corpus (pyca/cryptography vectors)', dir === undefined ? 'skipped: corpus not found' : false, () => {
  const rows = dir
    ? readFileSync(join(dir, 'SOURCES.md'), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .map((line) => line.split('|').map((c) => c.trim()))
        .map((cols) => ({ file: cols[1].replace(/`/g, ''), expected: cols[5] as Expectation }))
    : [];
  let agreed = 0;

  for (const { file, expected } of rows) {
    it(`${file}: ${expected}`, () => {
      const bytes = new Uint8Array(readFileSync(join(dir!, file)));
      const decoded = decodePkiBytes(bytes);
      // Every block is either decoded or carries a readable error; the hover text renders.
      for (const block of decoded.blocks) {
        assert.ok((block.object === undefined) !== (block.error === undefined), 'exactly one of object and error');
        if (block.error) assert.ok(block.error.length > 10, `a clear error, not "${block.error}"`);
        assert.ok(renderMarkdown(describeBlock(block)).markdown.length > 0);
      }
      if (decoded.blocks.length === 0) assert.ok(decoded.error);
      const { verdict, detail } = classify(decoded);
      if (agrees(expected, verdict)) agreed++;
      if (KNOWN_DIFFERENCES[file]) {
        assert.ok(!agrees(expected, verdict), `${file} is a listed difference but now agrees: remove it`);
        return;
      }
      assert.ok(agrees(expected, verdict), `expected ${expected}, got ${verdict}: ${detail}`);
    });
  }

  it('covers all 80 files', () => {
    assert.equal(rows.length, 80);
    process.stdout.write(
      `# robustness: ${agreed} of ${rows.length} files agree with SOURCES.md; known differences: ${Object.keys(KNOWN_DIFFERENCES).length}; none threw\n`,
    );
    assert.equal(agreed, rows.length - Object.keys(KNOWN_DIFFERENCES).length);
  });
});
