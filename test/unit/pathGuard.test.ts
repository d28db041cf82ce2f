import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { GuardedReader, NotRegularFileError, readRegularFile } from '../../server/src/engine/io/guardedRead';
import { OutsideError, PathGuard, RealPolicy, refusal, resolveReal } from '../../server/src/engine/io/pathGuard';
import { replaceFile, writeNewFile } from '../../server/src/engine/io/safeWrite';

const policy = (p: Partial<RealPolicy>): RealPolicy => ({ readRoots: [], readFiles: [], writeRoots: [], readAnywhere: false, ...p });

describe('the path guard: the decision on real paths', () => {
  it('reads inside a read root, a write root or an opened file; nowhere else', () => {
    const editor = policy({ readRoots: ['/ws', '/node/etc/kubernetes'], readFiles: ['/home/u/Downloads/ca.crt'], writeRoots: ['/ws'] });
    assert.equal(refusal('/ws/etc/kubernetes/pki/ca.crt', 'read', editor), undefined);
    assert.equal(refusal('/ws', 'read', editor), undefined);
    assert.equal(refusal('/node/etc/kubernetes/admin.conf', 'read', editor), undefined);
    assert.equal(refusal('/home/u/Downloads/ca.crt', 'read', editor), undefined);
    assert.equal(refusal('/node/etc/shadow', 'read', editor), 'is outside the workspace folders; kube-pki reads only inside them');
    assert.equal(refusal('/home/u/Downloads/other.crt', 'read', editor), 'is outside the workspace folders; kube-pki reads only inside them');
    // A sibling that shares the root's name as a prefix is not inside it.
    assert.equal(refusal('/ws-evil/ca.crt', 'read', editor), 'is outside the workspace folders; kube-pki reads only inside them');
  });

  it('writes only inside a write root; a readable folder is not writable', () => {
    const editor = policy({ readRoots: ['/ws', '/node/etc/kubernetes'], readFiles: ['/home/u/ca.crt'], writeRoots: ['/ws'] });
    assert.equal(refusal('/ws/pki/new.crt', 'write', editor), undefined);
    assert.equal(refusal('/node/etc/kubernetes/pki/new.crt', 'write', editor), 'is not in a trusted workspace folder; kube-pki writes only there');
    assert.equal(refusal('/home/u/ca.crt', 'write', editor), 'is outside the workspace folders; kube-pki writes only inside them');
    const untrusted = policy({ readRoots: ['/ws'], writeRoots: [] });
    assert.equal(refusal('/ws/pki/new.crt', 'write', untrusted), 'is not in a trusted workspace folder; kube-pki writes only there');
    assert.equal(refusal('/ws/pki/ca.crt', 'read', untrusted), undefined);
  });

  it('the CLI reads what it is given and writes only under its output', () => {
    const cli = policy({ readAnywhere: true, writeRoots: ['/out'], scope: 'the output folder /out' });
    assert.equal(refusal('/etc/kubernetes/pki/ca.crt', 'read', cli), undefined);
    assert.equal(refusal('/out/etc/kubernetes/pki/ca.key', 'write', cli), undefined);
    assert.equal(refusal('/etc/kubernetes/pki/ca.key', 'write', cli), 'is outside the output folder /out; kube-pki writes only inside it');
  });

  it('says where a path leads when it is not where it seems', () => {
    assert.equal(
      refusal('/outside/x.crt', 'write', policy({ writeRoots: ['/ws'] }), '/ws/pki/x.crt'),
      'is outside the workspace folders (it leads to /outside/x.crt); kube-pki writes only inside them',
    );
  });
});

describe('the path guard on disk: realpath of the existing parents', () => {
  const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'kube-pki-guard-')));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const ws = join(scratch, 'ws');
  const outside = join(scratch, 'outside');
  mkdirSync(join(ws, 'etc/kubernetes/pki'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.crt'), 'outside content');
  writeFileSync(join(ws, 'etc/kubernetes/pki/kubelet-client-2026.pem'), 'inside content');
  symlinkSync(outside, join(ws, 'etc/kubernetes/pki/etcd'));
  symlinkSync(join(outside, 'secret.crt'), join(ws, 'etc/kubernetes/pki/apiserver.crt'));
  symlinkSync('kubelet-client-2026.pem', join(ws, 'etc/kubernetes/pki/kubelet-client-current.pem'));
  symlinkSync(join(scratch, 'nowhere'), join(ws, 'dangling'));
  symlinkSync('loop-b', join(ws, 'loop-a'));
  symlinkSync('loop-a', join(ws, 'loop-b'));
  // A workspace opened through a symlinked home folder is still itself.
  symlinkSync(scratch, join(scratch, 'home-link'));
  const viaHome = join(scratch, 'home-link', 'ws');
  const guard = new PathGuard({ readRoots: [viaHome], writeRoots: [viaHome] });

  it('resolves what exists and keeps the rest: a file about to be written, in folders about to be made', () => {
    assert.equal(resolveReal(join(viaHome, 'a/b/new.crt')), join(ws, 'a/b/new.crt'));
    assert.equal(resolveReal(join(ws, 'etc/kubernetes/pki/etcd/new/ca.crt')), join(outside, 'new/ca.crt'));
    assert.equal(resolveReal(`${ws}/etc/../../outside/x.crt`), join(outside, 'x.crt'));
  });

  it('judges a path where it leads: a symlinked folder or file leading out is outside, one staying inside is inside', () => {
    assert.equal(guard.forWrite(join(viaHome, 'etc/kubernetes/pki/new.crt')), join(ws, 'etc/kubernetes/pki/new.crt'));
    assert.equal(guard.forWrite(join(ws, 'etc/kubernetes/pki/kubelet-client-current.pem')), join(ws, 'etc/kubernetes/pki/kubelet-client-2026.pem'));
    assert.throws(
      () => guard.forWrite(join(ws, 'etc/kubernetes/pki/etcd/ca.crt')),
      (e: unknown) => e instanceof OutsideError && /outside the workspace folders \(it leads to .*\/outside\/ca\.crt\)/.test(e.message),
    );
    assert.throws(
      () => guard.forRead(join(ws, 'etc/kubernetes/pki/apiserver.crt')),
      (e: unknown) => e instanceof OutsideError && /it leads to .*\/outside\/secret\.crt/.test(e.message),
    );
    assert.throws(() => guard.forWrite(`${ws}/../outside/x.crt`), OutsideError);
  });

  it('refuses what cannot be resolved: a dangling symlink, a loop', () => {
    assert.throws(() => guard.forWrite(join(ws, 'dangling')), /is a symlink that leads nowhere/);
    assert.throws(() => guard.forWrite(join(ws, 'dangling/sub/x.crt')), /goes through .*dangling, a symlink that leads nowhere/);
    assert.throws(() => guard.forRead(join(ws, 'loop-a')), /is a symlink loop/);
  });

  it('writes never go through a link leading out; a link staying inside is replaced where it leads, with its backup', async () => {
    await assert.rejects(writeNewFile(guard, join(ws, 'etc/kubernetes/pki/etcd/ca.key'), 'k', 0o600), OutsideError);
    await assert.rejects(replaceFile(guard, join(ws, 'etc/kubernetes/pki/apiserver.crt'), 'new', 0o644), OutsideError);
    assert.deepEqual(readdirSync(outside), ['secret.crt']);
    assert.equal(readFileSync(join(outside, 'secret.crt'), 'utf8'), 'outside content');
    assert.ok(!readdirSync(join(ws, 'etc/kubernetes/pki')).some((f) => f.includes('.bak-')), 'nothing of the outside file was copied in as a backup');

    const backup = await replaceFile(guard, join(ws, 'etc/kubernetes/pki/kubelet-client-current.pem'), 'renewed', 0o600, new Date('2026-12-01T00:00:00Z'));
    assert.equal(readlinkSync(join(ws, 'etc/kubernetes/pki/kubelet-client-current.pem')), 'kubelet-client-2026.pem', 'the link stays a link');
    assert.equal(readFileSync(join(ws, 'etc/kubernetes/pki/kubelet-client-2026.pem'), 'utf8'), 'renewed');
    assert.equal(backup, join(ws, 'etc/kubernetes/pki/kubelet-client-2026.pem.bak-20261201T000000Z'));
    assert.equal(readFileSync(backup!, 'utf8'), 'inside content');
  });

  it('reads only regular files, and never more than asked', () => {
    const anywhere = PathGuard.forCli();
    assert.throws(() => readRegularFile('/dev/zero', anywhere, 1024), NotRegularFileError);
    assert.throws(() => readRegularFile(ws, anywhere, 1024), /is a directory/);
    writeFileSync(join(ws, 'big.pem'), 'x'.repeat(2048));
    const big = readRegularFile(join(ws, 'big.pem'), anywhere, 1024);
    assert.equal(big.bytes, undefined);
    assert.equal(big.stat.size, 2048);
    assert.equal(readRegularFile(join(ws, 'big.pem'), anywhere, 4096).bytes?.length, 2048);
  });

  it('reads a file of exactly the limit whole, one byte over it not at all, an empty file as empty (the read stops at the size fstat gave)', () => {
    const anywhere = PathGuard.forCli();
    writeFileSync(join(ws, 'edge.pem'), 'y'.repeat(1024));
    assert.equal(Buffer.from(readRegularFile(join(ws, 'edge.pem'), anywhere, 1024).bytes ?? []).toString(), 'y'.repeat(1024));
    assert.equal(readRegularFile(join(ws, 'edge.pem'), anywhere, 1023).bytes, undefined);
    assert.equal(readRegularFile(join(ws, 'edge.pem'), anywhere, 1023, true).bytes?.length, 1023);
    writeFileSync(join(ws, 'empty.pem'), '');
    assert.equal(readRegularFile(join(ws, 'empty.pem'), anywhere, 1024).bytes?.length, 0);
  });

  it("the checker's reader judges each folder as the guard does, though it resolves only links and the roots' parents", () => {
    const text = (reader: GuardedReader, path: string) => Buffer.from(reader.read(path, 1024).bytes ?? []).toString('utf8');
    const reader = new GuardedReader(guard);
    writeFileSync(join(ws, 'etc/kubernetes/pki/front-proxy-ca.crt'), 'read by the reader');
    // Through the symlinked home: the folders below the root are no links, their real paths are the root's plus their names.
    assert.equal(text(reader, join(viaHome, 'etc/kubernetes/pki/front-proxy-ca.crt')), 'read by the reader');
    // A folder that is a link leading out, below folders already judged readable: refused in the guard's own words.
    const viaLink = join(viaHome, 'etc/kubernetes/pki/etcd/secret.crt');
    const guardSays = guard.check(join(viaHome, 'etc/kubernetes/pki/etcd'), 'read');
    assert.ok(!guardSays.ok);
    assert.throws(
      () => reader.read(viaLink, 1024),
      (e: unknown) => e instanceof OutsideError && e.message === `${viaLink} ${guardSays.error.reason}`,
    );
    // Roots below the folders read: a folder above the root is refused, one below it read, in either order.
    const pki = new GuardedReader(new PathGuard({ readRoots: [join(ws, 'etc/kubernetes/pki')], writeRoots: [] }));
    writeFileSync(join(ws, 'etc/kubernetes/admin.conf'), 'above the root');
    assert.throws(() => pki.read(join(ws, 'etc/kubernetes/admin.conf'), 1024), /outside the workspace folders/);
    assert.equal(text(pki, join(ws, 'etc/kubernetes/pki/front-proxy-ca.crt')), 'read by the reader');
    // A folder where an opened file is (readFiles): the file may be read, nothing below the folder.
    mkdirSync(join(scratch, 'opened.yaml/sub'), { recursive: true });
    writeFileSync(join(scratch, 'opened.yaml/sub/x.yaml'), 'x');
    const opened = new GuardedReader(new PathGuard({ readRoots: [], readFiles: [join(scratch, 'opened.yaml')], writeRoots: [] }));
    assert.throws(() => opened.read(join(scratch, 'opened.yaml/sub/x.yaml'), 1024), OutsideError);
    // A path climbing out with "..": the folder is not its parent's real path plus "..", the guard resolves it.
    writeFileSync(join(scratch, 'outside.txt'), 'outside');
    const climbing = `${ws}/../outside.txt`;
    assert.equal(guard.check(dirname(climbing), 'read').ok, false);
    assert.throws(() => new GuardedReader(guard).read(climbing, 1024), OutsideError);
  });

  it('creates files with the mode asked, narrowed by the umask, never widened', async () => {
    const old = process.umask(0o077);
    try {
      await writeNewFile(guard, join(ws, 'umask/x.csr'), 'csr', 0o644);
      assert.equal(statSync(join(ws, 'umask/x.csr')).mode & 0o777, 0o600);
    } finally {
      process.umask(old);
    }
    await writeNewFile(guard, join(ws, 'umask/y.key'), 'key', 0o600);
    assert.equal(statSync(join(ws, 'umask/y.key')).mode & 0o777, 0o600);
  });
});
