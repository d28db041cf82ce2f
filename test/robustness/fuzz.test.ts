import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseConfigText } from '../../server/src/engine/check/workspace';
import { describeBlock } from '../../server/src/engine/format/describe';
import { renderMarkdown } from '../../server/src/engine/format/markdown';
import { decodePkiBytes } from '../../server/src/engine/pki/decode';
import { CORPUS_DIR, filesUnder, REPO_ROOT } from '../support/paths';
import { service } from '../support/service';

/**
 * Mutation fuzzing of every decoder and the config reader: PEM text, base64,
 * DER bytes and YAML (the example cluster's manifests, kubeconfigs and PKI,
 * plus the robustness corpus). Property: results or clear errors, never a
 * throw, never a case slower than PER_CASE_MS. Seeded: a failing seed replays.
 */
const SEED = Number(process.env.KUBE_PKI_FUZZ_SEED ?? 20261123);
const CASES = Number(process.env.KUBE_PKI_FUZZ_CASES ?? 100_000);
const TIME_BUDGET_MS = Number(process.env.KUBE_PKI_FUZZ_MS ?? 240_000);
const PER_CASE_MS = 2_000;

describe('fuzzing the decoders and the config reader', () => {
  it(`${CASES} mutated inputs, seed ${SEED}: no throw, no hang`, () => {
    let seed = SEED;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 0x100000000;
    };
    const inputs = [
      ...filesUnder(join(REPO_ROOT, 'examples'), 200_000),
      ...filesUnder(join(CORPUS_DIR, 'robustness'), 200_000),
      ...filesUnder(join(CORPUS_DIR, 'realworld'), 200_000),
    ].map((f) => readFileSync(f));
    assert.ok(inputs.length > 30);
    const ders = inputs
      .filter((b) => b.includes('-----BEGIN CERTIFICATE'))
      .map((b) =>
        Buffer.from(
          b
            .toString()
            .split('\n')
            .filter((l) => !l.startsWith('-----'))
            .join(''),
          'base64',
        ),
      );
    const mutate = (source: Buffer): Buffer => {
      const b = Buffer.from(source);
      const edits = 1 + Math.floor(random() * 8);
      for (let i = 0; i < edits && b.length > 0; i++) {
        const op = random();
        const at = Math.floor(random() * b.length);
        if (op < 0.4) b[at] = Math.floor(random() * 256);
        else if (op < 0.6) b[at] ^= 1 << Math.floor(random() * 8);
        else if (op < 0.8) return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + Math.floor(random() * 40)))]);
        else return Buffer.concat([b.subarray(0, at), b.subarray(at, at + Math.floor(random() * 200)), b.subarray(at)]);
      }
      return b;
    };
    const started = Date.now();
    let count = 0;
    let slowest = 0;
    for (; count < CASES && Date.now() - started < TIME_BUDGET_MS; count++) {
      const source = random() < 0.3 ? ders[Math.floor(random() * ders.length)] : inputs[Math.floor(random() * inputs.length)];
      const input = mutate(source);
      const caseStart = Date.now();
      try {
        const file = decodePkiBytes(new Uint8Array(input));
        for (const block of file.blocks) {
          assert.ok((block.object === undefined) !== (block.error === undefined));
          renderMarkdown(describeBlock(block));
        }
        const text = input.toString('utf8');
        parseConfigText('/fuzz/etc/kubernetes/manifests/x.yaml', text);
        service.pemDocument(text).diagnostics();
      } catch (e) {
        assert.fail(`case ${count} (seed ${SEED}) threw: ${(e as Error).stack}`);
      }
      slowest = Math.max(slowest, Date.now() - caseStart);
      assert.ok(slowest < PER_CASE_MS, `case ${count} (seed ${SEED}) took ${slowest} ms`);
    }
    process.stdout.write(`# fuzz: ${count} cases, seed ${SEED}, ${((Date.now() - started) / 1000).toFixed(1)} s, slowest case ${slowest} ms\n`);
    assert.ok(count >= Math.min(CASES, 20_000), `only ${count} cases ran within the time budget`);
  });
});
