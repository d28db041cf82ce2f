import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root, from out/test/support at run time. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** ../shared/corpus beside the checkout (CI places shared/ there). */
export const CORPUS_DIR = resolve(REPO_ROOT, '..', 'shared', 'corpus');

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
  const reason = `skipped: ${path} not found (the shared corpus lives beside the checkout)`;
  if (process.env.CI) throw new Error(`corpus missing in CI: ${reason}`);
  process.stderr.write(`\n*** ${reason} ***\n`);
  return undefined;
}
