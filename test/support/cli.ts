import { spawnSync } from 'node:child_process';
import { CLI } from './paths';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI as a user would (`node bin/kube-pki.js ...`). */
export function runCli(args: string[], cwd?: string): CliRun {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
