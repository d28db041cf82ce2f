// The extension test suite's entry point: VS Code's extension host (under
// @vscode/test-electron or code-server's smoke-test driver) loads this module
// and calls run(). The same files run under both hosts.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import { expectedTrust } from './workspace';

/** Marks the suite's own report in the extension host's console, which the workbench fills with its own logs. */
export const REPORT_PREFIX = '[kube-pki e2e] ';

const ORDER = ['hover.e2e.js', 'problems.e2e.js', 'preview.e2e.js', 'pkiTree.e2e.js', 'generate.e2e.js'];

export function run(): Promise<void> {
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(format(...args).replace(/^/gm, REPORT_PREFIX));
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  // An untrusted window runs only the untrusted suite; a trusted one runs the rest, in the
  // order of the user's stories. Generation goes last: a second cluster in the workspace
  // rightly changes what the checker reports about the first.
  const untrusted = expectedTrust() === 'untrusted';
  const files = readdirSync(__dirname).filter((name) => name.endsWith('.e2e.js') && (name === 'untrusted.e2e.js') === untrusted);
  // Files not in ORDER run just before generation.
  const rank = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length - 1.5);
  for (const name of files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))) mocha.addFile(join(__dirname, name));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension test(s) failed`)) : resolve()));
  });
}
