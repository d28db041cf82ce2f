import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DECODER_PROBLEMS } from '../../server/src/engine/pki/problemCodes';
import { RULES } from '../../server/src/engine/rules';
import { REPO_ROOT } from '../support/paths';

const codes = RULES.map((r) => r.meta.code);
const pages = readdirSync(join(REPO_ROOT, 'docs', 'rules'))
  .filter((f) => f.endsWith('.md') && f !== 'README.md' && f !== 'decoder-problems.md')
  .map((f) => f.slice(0, -3));
const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));

describe('every rule is complete: meta, doc page, test file, index entry, settings schema', () => {
  it('each rule in RULES has docs/rules/<code>.md (its meta.docs) and test/rules/<code>.test.ts', () => {
    const missing = RULES.flatMap(({ meta }) => [
      ...(meta.docs === `docs/rules/${meta.code}.md` && existsSync(join(REPO_ROOT, meta.docs)) ? [] : [`${meta.code}: docs ${meta.docs}`]),
      ...(existsSync(join(REPO_ROOT, 'test', 'rules', `${meta.code}.test.ts`)) ? [] : [`${meta.code}: test/rules/${meta.code}.test.ts`]),
    ]);
    assert.deepEqual(missing, []);
  });

  it('each docs/rules page is a rule in RULES, and each test/rules file tests one', () => {
    assert.deepEqual(
      pages.filter((p) => !codes.includes(p)),
      [],
    );
    const tests = readdirSync(join(REPO_ROOT, 'test', 'rules'))
      .filter((f) => f.endsWith('.test.ts') && f !== 'completeness.test.ts')
      .map((f) => f.slice(0, -'.test.ts'.length));
    assert.deepEqual(
      tests.filter((t) => !codes.includes(t)),
      [],
    );
  });

  it('codes are unique kebab-case, and each meta is whole', () => {
    assert.equal(new Set(codes).size, codes.length);
    for (const { meta } of RULES) {
      assert.match(meta.code, /^[a-z]+(-[a-z0-9]+)*$/);
      assert.ok(['error', 'warning', 'information', 'hint'].includes(meta.severity), meta.code);
      assert.ok(meta.description.length > 20, meta.code);
      assert.equal(typeof meta.fixable, 'boolean', meta.code);
      assert.ok(Array.isArray(meta.options), meta.code);
    }
  });

  it('the page states the default severity of the meta; README and docs/rules/README list it with that severity', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const index = readFileSync(join(REPO_ROOT, 'docs', 'rules', 'README.md'), 'utf8');
    const wrong = RULES.flatMap(({ meta }) => {
      const page = readFileSync(join(REPO_ROOT, meta.docs), 'utf8');
      return [
        ...(page.includes(`Default severity: ${meta.severity}`) ? [] : [`${meta.docs}: Default severity: ${meta.severity}`]),
        ...(readme.includes(`| \`${meta.code}\` | ${meta.severity} |`) ? [] : [`README.md: | \`${meta.code}\` | ${meta.severity} |`]),
        ...(index.includes(`| [${meta.code}](${meta.code}.md) | ${meta.severity} |`)
          ? []
          : [`docs/rules/README.md: | [${meta.code}](${meta.code}.md) | ${meta.severity} |`]),
      ];
    });
    assert.deepEqual(wrong, []);
  });

  it('package.json kubePki.rules accepts exactly the codes of RULES', () => {
    const schema = packageJson.contributes.configuration.properties['kubePki.rules'];
    assert.deepEqual([...schema.propertyNames.enum].sort(), [...codes].sort());
  });

  it("the decoder's problem codes are registered and each is on docs/rules/decoder-problems.md, and nothing else is", () => {
    const page = readFileSync(join(REPO_ROOT, 'docs', 'rules', 'decoder-problems.md'), 'utf8');
    const documented = [...page.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual([...documented].sort(), Object.keys(DECODER_PROBLEMS).sort());
    // A decoder code never takes a rule's name with another meaning (weak-key is both: the rule reports the decoder's finding).
    assert.deepEqual(
      Object.keys(DECODER_PROBLEMS).filter((code) => codes.includes(code) && code !== 'weak-key'),
      [],
    );
  });
});
