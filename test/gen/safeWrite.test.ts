import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FileExistsError, replaceFile, writeNewFile } from '../../server/src/engine/io/safeWrite';

describe('the write module', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-pki-write-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a key with mode 0600 from the first byte, in new folders', async () => {
    const path = join(dir, 'a', 'b', 'x.key');
    await writeNewFile(path, 'secret', 0o600);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(readFileSync(path, 'utf8'), 'secret');
  });

  it('never overwrites: an existing file stays as it was, and no temporary file is left', async () => {
    const path = join(dir, 'keep.crt');
    writeFileSync(path, 'original');
    await assert.rejects(writeNewFile(path, 'new'), (e: unknown) => e instanceof FileExistsError && e.path === path);
    assert.equal(readFileSync(path, 'utf8'), 'original');
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });

  it('replaces only on request, keeping the old file as NAME.bak-<timestamp>', async () => {
    const path = join(dir, 'replace.key');
    writeFileSync(path, 'old', { mode: 0o600 });
    const backup = await replaceFile(path, 'new', 0o600, new Date('2026-11-23T10:20:30Z'));
    assert.equal(backup, `${path}.bak-20261123T102030Z`);
    assert.equal(readFileSync(path, 'utf8'), 'new');
    assert.equal(readFileSync(backup!, 'utf8'), 'old');
    assert.equal(statSync(backup!).mode & 0o777, 0o600, 'the backup of a key stays private');
    await assert.rejects(replaceFile(path, 'newer', 0o600, new Date('2026-11-23T10:20:30Z')), /EEXIST/, 'a backup is never overwritten either');
    assert.equal(readFileSync(path, 'utf8'), 'new');
  });

  it('leaves the target untouched when the write fails', async () => {
    const path = join(dir, 'nofolder-file');
    writeFileSync(path, 'a file, not a folder');
    await assert.rejects(writeNewFile(join(path, 'x.key'), 'k', 0o600));
    assert.equal(readFileSync(path, 'utf8'), 'a file, not a folder');
  });
});
