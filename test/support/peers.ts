import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** A peer program (etcd, kubectl) that the tests drive for real; in CI a missing one fails the run. */
export function missingProgram(command: string, args: string[], install: string): string | undefined {
  if (spawnSync(command, args, { stdio: 'ignore' }).status === 0) return undefined;
  const reason = `skipped: ${command} is not installed (npm test installs ${install} as root on Debian)`;
  if (process.env.CI) throw new Error(`${command} is required in CI: ${reason}`);
  process.stderr.write(`\n*** ${reason} ***\n`);
  return reason;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
