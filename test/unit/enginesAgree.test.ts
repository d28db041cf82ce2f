// package.json says which Node runs the CLI and the tests (engines.node); every locked package must agree,
// or `npm ci` on that Node warns EBADENGINE (as @vscode/test-electron 3, which wants Node 22, did).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../support/paths';

const json = (name: string) => JSON.parse(readFileSync(join(REPO_ROOT, name), 'utf8'));

/** [major, minor, patch] of a version in a range ('20', '20.18', 'v20.1.0', '8.*'). */
function parts(version: string): number[] {
  return version
    .replace(/^v/, '')
    .split('.')
    .map((p) => (p === '*' || p === 'x' ? 0 : Number(p)));
}

/** Whether one comparator ('>=20.18.1', '<=0.7.0', '^18.18.0', '14', '*') admits some release of Node `major`. */
function admitsMajor(comparator: string, major: number): boolean {
  const [, op, version] = /^(>=|<=|>|<|\^|~|=)?(.*)$/.exec(comparator)!;
  if (version === '*' || version === '') return true;
  const [m, minor, patch] = parts(version);
  if (op === '>=' || op === '>') return m <= major;
  if (op === '<=') return m >= major;
  if (op === '<') return m > major || (m === major && (minor > 0 || patch > 0));
  return m === major; // ^, ~, = or a bare version: the same major
}

/** Whether a package's engines.node range admits some release of Node `major` (a || b: either; a b: both). */
function rangeAdmitsMajor(range: string, major: number): boolean {
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/(>=|<=|>|<|\^|~|=)\s+/g, '$1')
      .split(/\s+/)
      .every((comparator) => admitsMajor(comparator, major)),
  );
}

describe('engines.node agrees with every locked package', () => {
  it('the ranges are read as npm reads them', () => {
    assert.equal(rangeAdmitsMajor('>=22', 20), false);
    assert.equal(rangeAdmitsMajor('>=20.18.1', 20), true);
    assert.equal(rangeAdmitsMajor('18 || 20 || >=22', 20), true);
    assert.equal(rangeAdmitsMajor('^12.20.0 || ^14.13.1 || >=16.0.0', 20), true);
    assert.equal(rangeAdmitsMajor('^18.18.0 || >=21.1.0', 20), false);
    assert.equal(rangeAdmitsMajor('>=0.6.11 <=0.7.0 || >=0.7.3', 20), true);
    assert.equal(rangeAdmitsMajor('>=0.6.11 <=0.7.0', 20), false);
  });

  it("every package npm ci installs runs on the oldest Node major package.json's engines.node allows", () => {
    const pkg = json('package.json');
    const oldest = Number(/^>=\s*(\d+)/.exec(pkg.engines.node)?.[1]);
    assert.ok(oldest >= 20, `engines.node is a lower bound (${pkg.engines.node})`);
    const lock = json('package-lock.json') as { packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }> };
    const refusing = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && !entry.optional && !Array.isArray(entry.engines) && entry.engines?.node)
      .filter(([, entry]) => !rangeAdmitsMajor((entry.engines as { node: string }).node, oldest))
      .map(([path, entry]) => `${path.replace(/^.*node_modules\//, '')} wants node ${(entry.engines as { node: string }).node}`);
    assert.deepEqual(refusing, []);
  });
});
