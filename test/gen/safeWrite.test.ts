import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PathGuard } from '../../server/src/engine/io/pathGuard';
import { FileExistsError, replaceFile, STALE_TEMP_MS, writeNewFile } from '../../server/src/engine/io/safeWrite';

const PAYLOAD_MB = 128;

/**
 * A separate process replaces `target` through the write module with a
 * 128 MiB payload; it is stopped once its temporary file has begun to fill,
 * then killed with SIGKILL, as a crash would.
 * Returns the temporary file's name and size at the kill.
 */
async function killMidReplace(dir: string, target: string): Promise<{ temp: string; bytesAtKill: number; exit: string | null }> {
  const script = `const { PathGuard } = require(${JSON.stringify(require.resolve('../../server/src/engine/io/pathGuard'))});
    require(${JSON.stringify(require.resolve('../../server/src/engine/io/safeWrite'))})
    .replaceFile(PathGuard.forCli([${JSON.stringify(dir)}]), ${JSON.stringify(target)}, Buffer.alloc(${PAYLOAD_MB} * 1048576, 0x4b), 0o600)
    .then(() => process.stdout.write('finished'));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (c) => (out += String(c)));
  const exited = new Promise<string | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const tempPattern = /^\.big\.key\.[0-9a-f]{12}\.tmp$/;
  const temp = await new Promise<string>((resolve, reject) => {
    const writing = () => readdirSync(dir).find((f) => tempPattern.test(f) && statSync(join(dir, f), { throwIfNoEntry: false })?.size);
    const check = () => {
      const name = writing();
      if (!name) return;
      child.kill('SIGSTOP');
      watcher.close();
      clearInterval(poll);
      resolve(name);
    };
    const watcher = watch(dir, check);
    const poll = setInterval(check, 1);
    child.once('exit', () => reject(new Error(`the writer ended before it was killed: ${out}`)));
  });
  const bytesAtKill = statSync(join(dir, temp)).size;
  child.kill('SIGKILL');
  return { temp, bytesAtKill, exit: await exited };
}

describe('the write module', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-pki-write-'));
  const guard = PathGuard.forCli([dir]);
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a key with mode 0600 from the first byte, in new folders', async () => {
    const path = join(dir, 'a', 'b', 'x.key');
    await writeNewFile(guard, path, 'secret', 0o600);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(readFileSync(path, 'utf8'), 'secret');
  });

  it('never overwrites: an existing file stays as it was, and no temporary file is left', async () => {
    const path = join(dir, 'keep.crt');
    writeFileSync(path, 'original');
    await assert.rejects(writeNewFile(guard, path, 'new'), (e: unknown) => e instanceof FileExistsError && e.path === path);
    assert.equal(readFileSync(path, 'utf8'), 'original');
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it('replaces only on request, keeping the old file as NAME.bak-<timestamp>', async () => {
    const path = join(dir, 'replace.key');
    writeFileSync(path, 'old', { mode: 0o600 });
    const backup = await replaceFile(guard, path, 'new', 0o600, new Date('2026-11-23T10:20:30Z'));
    assert.equal(backup, `${path}.bak-20261123T102030Z`);
    assert.equal(readFileSync(path, 'utf8'), 'new');
    assert.equal(readFileSync(backup!, 'utf8'), 'old');
    assert.equal(statSync(backup!).mode & 0o777, 0o600, 'the backup of a key stays private');
    await assert.rejects(replaceFile(guard, path, 'newer', 0o600, new Date('2026-11-23T10:20:30Z')), /EEXIST/, 'a backup is never overwritten either');
    assert.equal(readFileSync(path, 'utf8'), 'new');
  });

  it('leaves the target untouched when the write fails', async () => {
    const path = join(dir, 'nofolder-file');
    writeFileSync(path, 'a file, not a folder');
    await assert.rejects(writeNewFile(guard, join(path, 'x.key'), 'k', 0o600));
    assert.equal(readFileSync(path, 'utf8'), 'a file, not a folder');
  });

  it('a writer killed mid-replace leaves the old file intact and no partial target; its left-over temporary file goes at the next write', async () => {
    const crash = join(dir, 'crash');
    mkdirSync(crash);
    const target = join(crash, 'big.key');
    const old = Buffer.alloc(3 * 1048576, 0x6f);
    writeFileSync(target, old, { mode: 0o600 });
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const { temp, bytesAtKill, exit } = await killMidReplace(crash, target);
    process.stdout.write(`# killed the writer (${exit}) with ${(bytesAtKill / 1048576).toFixed(1)} of ${PAYLOAD_MB} MiB in ${temp}\n`);
    assert.equal(exit, 'SIGKILL');
    assert.ok(bytesAtKill > 0 && bytesAtKill < PAYLOAD_MB * 1048576, 'killed while writing');
    assert.equal(sha(readFileSync(target)), sha(old), 'the old file is intact');
    assert.equal(statSync(target).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(crash).sort(), [temp, 'big.key'].sort(), 'only the temporary file is left: no partial target, no backup');
    assert.equal(statSync(join(crash, temp)).mode & 0o777, 0o600, 'the partial key is private too');
    // The next write removes a stale temporary file (older than a minute) and leaves a fresh one (a writer at work) alone.
    const fresh = '.big.key.0123456789ab.tmp';
    writeFileSync(join(crash, fresh), '', { mode: 0o600 });
    const past = new Date(Date.now() - STALE_TEMP_MS - 1000);
    utimesSync(join(crash, temp), past, past);
    const backup = await replaceFile(guard, target, 'new key', 0o600, new Date('2026-11-23T11:00:00Z'));
    assert.deepEqual(readdirSync(crash).sort(), [fresh, 'big.key', 'big.key.bak-20261123T110000Z'].sort());
    assert.equal(readFileSync(target, 'utf8'), 'new key');
    assert.equal(sha(readFileSync(backup!)), sha(old));
  });
});
