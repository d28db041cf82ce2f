import { execFileSync } from 'node:child_process';
import { Dirent, existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

/** The repository root, from out/test/support at run time. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * The outside corpus: KUBE_PKI_CORPUS, else ../shared/corpus beside the checkout (CI places shared/
 * there), else beside the checkout this one was cloned from (a clone made elsewhere of a local checkout).
 */
function findCorpus(): string {
  const beside = (root: string) => resolve(root, '..', 'shared', 'corpus');
  if (process.env.KUBE_PKI_CORPUS) return resolve(process.env.KUBE_PKI_CORPUS);
  if (existsSync(beside(REPO_ROOT))) return beside(REPO_ROOT);
  try {
    const origin = execFileSync('git', ['config', '--get', 'remote.origin.url'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (origin.startsWith('/') && existsSync(beside(origin))) return beside(origin);
  } catch {
    // not a git checkout, or no origin
  }
  return beside(REPO_ROOT);
}

export const CORPUS_DIR = findCorpus();

/**
 * The build under test: this checkout's, or another built checkout named by KUBE_PKI_UNDER_TEST
 * (how an attack test is shown to fail on an earlier commit: the tests stay, the binaries change).
 */
const UNDER_TEST = process.env.KUBE_PKI_UNDER_TEST ? resolve(process.env.KUBE_PKI_UNDER_TEST) : REPO_ROOT;
export const CLI = join(UNDER_TEST, 'bin', 'kube-pki.js');
export const SERVER = join(UNDER_TEST, 'dist', 'server.js');

/** The outside corpus must be there in CI; on a laptop without it the test says so loudly. */
export function corpusOrSkip(relative: string): string | undefined {
  const path = join(CORPUS_DIR, relative);
  if (existsSync(path)) return path;
  const reason = `skipped: ${path} not found (the shared corpus lives beside the checkout, or where KUBE_PKI_CORPUS says)`;
  if (process.env.CI) throw new Error(`corpus missing in CI: ${reason}`);
  process.stderr.write(`\n*** ${reason} ***\n`);
  return undefined;
}

/**
 * A suite that needs a peer or data this machine may lack. Without it, one skipped test says why,
 * so the runner's summary counts the skip (node:test does not count a skipped describe).
 */
export function describeNeeding(name: string, skip: string | false | undefined, body: () => void): void {
  if (skip) describe(name, () => it(`${name}: ${skip}`, { skip }, () => undefined));
  else describe(name, body);
}

/**
 * The files under a folder, recursively, in listing order: links to files included (read through), linked folders not
 * followed (a loop), files of maxBytes or more left out, a missing or unreadable folder empty.
 */
export function filesUnder(dir: string, maxBytes = Number.POSITIVE_INFINITY): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return filesUnder(path, maxBytes);
    try {
      const stat = statSync(path);
      return stat.isFile() && stat.size < maxBytes ? [path] : [];
    } catch {
      return [];
    }
  });
}
