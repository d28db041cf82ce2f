// What the test scripts share to find a program and, as root on Debian, install its package.
import { spawnSync } from 'node:child_process';

/** Whether `cmd args` runs and exits 0. */
export const have = (cmd, args = ['--version'], env = process.env) => spawnSync(cmd, args, { stdio: 'ignore', env }).status === 0;

let aptUpdated = false;

/** Installs a Debian package when this is root with apt-get; false when it cannot be (or the install failed). */
export function aptInstall(pkg, label = 'npm test') {
  if (process.getuid?.() !== 0 || !have('apt-get')) return false;
  console.log(`${label}: installing ${pkg} (apt-get)`);
  if (!aptUpdated) aptUpdated = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' }).status === 0;
  // RUNLEVEL=1: the etcd package would start a system etcd on :2379; the tests start their own on free ports.
  return (
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', RUNLEVEL: '1' },
    }).status === 0
  );
}
