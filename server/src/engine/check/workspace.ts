import { Stats, statSync } from 'node:fs';
import { posix } from 'node:path';
import { GuardedReader } from '../io/guardedRead';
import { PathGuard } from '../io/pathGuard';
import { describeFsError } from '../io/pkiFile';
import type { ConfigFile } from '../kube/configFile';
import { definesUnits } from '../kube/deployableUnits';
import { holdsName, namesLookedUp } from '../kube/kinds';
import { holdsPemBlocks } from '../kube/kinds/pem';
import { CONFIG_HEAD_BYTES, parseConfigText, readConfigText, tooLargeConfig } from '../kube/parseConfigText';
import { getOrMake } from '../memo';
import { DecodedFile, decodePkiBytes, MAX_PKI_FILE_BYTES } from '../pki/decode';
import { nextTurn, SLICE_MS } from './scanTree';

/** Config files larger than this are not parsed (no kubeconfig or manifest is this big). */
export const MAX_CONFIG_FILE_BYTES = 4 * 1024 * 1024;

export interface LoadedFile {
  path: string;
  decoded: DecodedFile;
  /** Permission bits (for key-permissions); undefined when unknown. */
  mode?: number;
}

export type { ConfigFile };
export { parseConfigText };

const fileSets = new WeakMap<string[], Set<string>>();
const fileIndexes = new WeakMap<string[], Map<string, number>>();

/** A reader of the folder alone: what a workspace reads when the caller gives no reader of its own. */
function folderReader(boundary: string): GuardedReader {
  return new GuardedReader(new PathGuard({ readRoots: [boundary], writeRoots: [] }));
}

/**
 * The checked tree as the rules see it: the file list, parsed config files,
 * and the decoded PKI files, each file read once and decoded once however many
 * references name it. The reading and parsing live in a FileCache, which a
 * caller may keep from one check of a folder to the next.
 */
export class Workspace {
  private readonly fileSet: Set<string>;
  private readonly loaded = new Map<string, Promise<LoadedFile>>();
  private readonly excludedSeen = new Map<string, boolean>();

  constructor(
    readonly boundary: string,
    readonly files: string[],
    readonly configFiles: ConfigFile[],
    /** Files whose text holds PEM blocks (certificate files, YAML with embedded PEM). */
    readonly pemFiles: string[] = [],
    /** Unsaved editor text by path: it wins over the disk. */
    private readonly overlays: ReadonlyMap<string, string> = new Map(),
    private readonly cache: FileCache = new FileCache(),
    /** Every read of the check goes through it: the folder (and a node root's cluster folders), nothing else. */
    private readonly reader: GuardedReader = folderReader(boundary),
    /** Whether an unlisted path was left out by the user's exclusion (it still exists for references). */
    readonly excluded?: (path: string) => boolean,
    /**
     * What each listed file was made from (aligned with `files`; opaque): the same value as in an earlier
     * check while the file is unchanged, so what is memoised per listing can tell which files changed.
     */
    readonly versions?: readonly unknown[],
  ) {
    // A checker re-uses the listing (the same array) while only file contents change.
    this.fileSet = getOrMake(fileSets, files, () => new Set(files));
  }

  /** Whether `path` is listed here and in `earlier` and made of the same read (the cache's entry): unchanged since then. */
  unchangedSince(earlier: Workspace, path: string): boolean {
    const version = this.versionOf(path);
    return version !== undefined && version === earlier.versionOf(path);
  }

  private versionOf(path: string): unknown {
    const index = getOrMake(fileIndexes, this.files, () => new Map(this.files.map((file, i) => [file, i]))).get(path);
    return index === undefined ? undefined : this.versions?.[index];
  }

  exists(path: string): boolean {
    const normal = posix.normalize(path);
    return this.fileSet.has(normal) || (this.excluded?.(normal) === true && this.excludedOnDisk(normal));
  }

  /** An excluded file is not a document, but a reference naming it (a git-ignored key) resolves: a regular file the guard lets the check read. */
  private excludedOnDisk(path: string): boolean {
    return getOrMake(this.excludedSeen, path, () => {
      try {
        return this.reader.guard.check(path, 'read').ok && statSync(path).isFile();
      } catch {
        return false;
      }
    });
  }

  /**
   * A small file the check reads besides the listing (.kube-pki.yaml, a node's
   * etc/hostname): the editor's text first, else through the check's guard.
   * Undefined when absent, refused, unreadable or over `maxBytes`.
   */
  readText(path: string, maxBytes: number): string | undefined {
    const overlay = this.overlays.get(path);
    if (overlay !== undefined) return Buffer.byteLength(overlay) <= maxBytes ? overlay : undefined;
    try {
      const { bytes } = this.reader.readFile(path, maxBytes);
      return bytes && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    } catch {
      return undefined;
    }
  }

  /**
   * A listed file's text for the deployable units (kube/deployableUnits.ts): the editor's text, else the text kept
   * when the file was scanned, so no file is read twice; undefined for one that defines no unit (definesUnits).
   */
  unitText(path: string, maxBytes: number): string | undefined {
    const overlay = this.overlays.get(path);
    // An edited file scanned from its editor text: kept only when it defines units, as a file on disk is. Returning
    // the whole text of every edited file made each keystroke look like a change of the units (found again: seconds).
    const kept = this.cache.unitText(path, overlay);
    if (kept === NOT_SCANNED) return this.readText(path, maxBytes);
    return kept !== undefined && overlay !== undefined && Buffer.byteLength(kept) > maxBytes ? undefined : kept;
  }

  /** A listed file's permission bits as read (an editor overlay's from the disk); undefined when it could not be read. */
  mode(path: string): number | undefined {
    return this.cache.mode(path);
  }

  /**
   * The file as the cache already holds it decoded from an earlier check (no read, no wait), the object
   * load() would give; undefined when it must be loaded (not decoded yet, changed, an editor's text).
   */
  loadedNow(path: string): LoadedFile | undefined {
    return this.overlays.has(path) ? undefined : this.cache.loadedNow(path);
  }

  load(path: string): Promise<LoadedFile> {
    let promise = this.loaded.get(path);
    if (!promise) {
      promise = this.cache.load(path, this.overlays.get(path), this.reader);
      this.loaded.set(path, promise);
    }
    return promise;
  }

  /** Reads and parses every file that may be configuration (by content, not by name). */
  static async open(
    boundary: string,
    files: string[],
    overlays: ReadonlyMap<string, string> = new Map(),
    cache: FileCache = new FileCache(),
    trustCache = false,
    reader: GuardedReader = folderReader(boundary),
    excluded?: (path: string) => boolean,
  ): Promise<Workspace> {
    const entries = (trustCache && (await cache.rescan(files, overlays, reader))) || (await cache.scanAll(files, overlays, reader, trustCache));
    await parseLookedUp(files, entries, cache);
    cache.retain(files);
    cache.opened(files, entries);
    const pemFiles = files.filter((_, i) => entries[i].pem);
    const configFiles = entries.flatMap((e) => e.config ?? []);
    return new Workspace(boundary, files, configFiles, pemFiles, overlays, cache, reader, excluded, entries);
  }
}

/** The files left unparsed as joined-only (Services) that hold a name a parsed document looks up: parsed now, in place. */
async function parseLookedUp(files: string[], entries: CachedFile[], cache: FileCache): Promise<void> {
  const names = new Set<string>();
  for (const entry of entries) if (entry.config) for (const name of namesOf(entry.config)) names.add(name);
  for (const [i, entry] of entries.entries()) {
    if (entry.joinedOnly === undefined || !holdsName(entry.joinedOnly, names)) continue;
    await cache.pause();
    entry.config = parseConfigText(files[i], entry.joinedOnly);
    entry.joinedOnly = undefined;
  }
}

/** The names a config file's documents look up, once per parse (the cache keeps the ConfigFile while the file is unchanged). */
const lookedUp = new WeakMap<ConfigFile, readonly string[]>();
const namesOf = (config: ConfigFile) => getOrMake(lookedUp, config, () => namesLookedUp(config.documents));

/** What was read and made of one file, valid while its stamp (or overlay text) is unchanged. */
interface CachedFile {
  /** Size, times, inode and mode when read; undefined when it could not be read (read again every time). */
  stamp?: string;
  /** The editor text it was made from, instead of the disk. */
  overlay?: string;
  /** Changed so shortly before it was read that a later change could keep the same stamp: read again next time. */
  racy: boolean;
  mode?: number;
  /** Holds PEM blocks and is a kind of file whose blocks count on their own. */
  pem: boolean;
  config?: ConfigFile;
  /** The text of a kustomization or Flux/Argo pointer (definesUnits): what the deployable units are made of. */
  unitText?: string;
  /** The text of a file only joined-only kinds read (a Service), until a document looks up a name it holds. */
  joinedOnly?: string;
  /** A PEM-bearing file's bytes, until it is decoded. */
  bytes?: Uint8Array;
  loaded?: LoadedFile;
}

/** FileCache.unitText of a file it holds no text of: the caller reads it. */
const NOT_SCANNED = Symbol('not scanned');

/** File timestamps are as coarse as the kernel's tick (up to 10 ms); a second is far beyond any of them. */
const RACY_MS = 1000;

/**
 * Each file of a tree read once (synchronously: for many small files this is
 * several times faster than asynchronous reads), its text parsed as
 * configuration once, its PEM blocks decoded once. Kept between checks of the
 * same folder, an entry is used again while the file's size, times, inode and
 * mode are those it was read with, so a re-check reads and parses only what
 * changed. `invalidate` drops entries a file watcher reported changed, whatever
 * their stamp says.
 */
export class FileCache {
  private readonly entries = new Map<string, CachedFile>();
  private sliceStart = performance.now();
  /** The listing the entries were last trimmed to. */
  private retained?: string[];

  /**
   * `yieldTo` is how a slice ends: by default one turn of the event loop; a
   * language server waits longer while editor events keep arriving.
   */
  constructor(readonly yieldTo: () => Promise<void> = nextTurn) {}

  /**
   * The entries the last open made of its listing, and the paths whose entry changed since (or may differ at the
   * next scan: an editor's text, a racy or unreadable file): a re-open of the same listing scans only those.
   */
  private last?: { files: string[]; entries: readonly CachedFile[] };
  private changed = new Set<string>();

  /** Forgets what was read of these paths: the next check reads them again. */
  invalidate(paths: Iterable<string>): void {
    for (const path of paths) {
      this.entries.delete(path);
      this.changed.add(path);
    }
  }

  /** Every listed file scanned (a stat each unless `trusted`). */
  async scanAll(files: string[], overlays: ReadonlyMap<string, string>, reader: GuardedReader, trusted: boolean): Promise<CachedFile[]> {
    const entries: CachedFile[] = [];
    for (const path of files) {
      await this.pause();
      entries.push(this.scan(path, overlays.get(path), reader, trusted));
    }
    return entries;
  }

  /**
   * The same listing as the last open, trusted (the watcher reported every change): its entries again, with only the
   * paths that changed since, or may scan differently, scanned now. What scanAll would give, without a pass over
   * every file (a keystroke in a 20,000-file tree). Undefined when the listing is another.
   */
  async rescan(files: string[], overlays: ReadonlyMap<string, string>, reader: GuardedReader): Promise<CachedFile[] | undefined> {
    if (this.last?.files !== files) return undefined;
    const entries = [...this.last.entries];
    const index = getOrMake(fileIndexes, files, () => new Map(files.map((file, i) => [file, i])));
    for (const path of new Set([...this.changed, ...overlays.keys()])) {
      const i = index.get(path);
      if (i === undefined) continue;
      await this.pause();
      entries[i] = this.scan(path, overlays.get(path), reader, true);
    }
    return entries;
  }

  /** Notes what an open made of its listing, and which entries scan may not reuse as they are next time. */
  opened(files: string[], entries: readonly CachedFile[]): void {
    this.last = { files, entries };
    this.changed = new Set();
    for (const [i, entry] of entries.entries()) if (unsettled(entry)) this.changed.add(files[i]);
  }

  /** Lets other work run when this slice of synchronous reading and decoding has lasted long enough. */
  async pause(): Promise<void> {
    if (performance.now() - this.sliceStart < SLICE_MS) return;
    await this.yieldTo();
    this.sliceStart = performance.now();
  }

  /** Drops the entries of files that are no longer listed. */
  retain(files: string[]): void {
    // The same listing as last time (a re-check that kept it): scan added no path outside it since.
    if (files === this.retained) return;
    this.retained = files;
    const listed = new Set(files);
    for (const path of this.entries.keys()) if (!listed.has(path)) this.entries.delete(path);
    this.last = undefined;
  }

  /**
   * The file as configuration and PEM holder: from the cache while unchanged, else
   * read and parsed now. `trusted`: an entry still in the cache (not invalidated,
   * not racy) is used without a stat, for a caller that learns of every change.
   */
  scan(path: string, overlay: string | undefined, reader: GuardedReader, trusted = false): CachedFile {
    const previous = this.entries.get(path);
    let entry: CachedFile;
    if (overlay !== undefined) {
      if (previous?.overlay === overlay) return previous;
      entry = { overlay, racy: false, pem: holdsPemBlocks(path, overlay), config: parseConfigText(path, overlay) };
      if (definesUnits(path, overlay)) entry.unitText = overlay;
    } else {
      if (previous?.stamp !== undefined && !previous.racy && previous.overlay === undefined && (trusted || previous.stamp === stampOf(statOrUndefined(path))))
        return previous;
      entry = readEntry(path, reader);
    }
    this.entries.set(path, entry);
    this.changed.add(path);
    return entry;
  }

  /** The text kept for the deployable units; NOT_SCANNED when the file was not read as text (unreadable, never scanned). */
  unitText(path: string, overlay?: string): string | undefined | typeof NOT_SCANNED {
    const entry = this.entries.get(path);
    if (overlay !== undefined) return entry?.overlay === overlay ? entry.unitText : NOT_SCANNED;
    return entry === undefined || (entry.stamp === undefined && entry.overlay === undefined) ? NOT_SCANNED : entry.unitText;
  }

  mode(path: string): number | undefined {
    const entry = this.entries.get(path);
    if (entry?.overlay === undefined) return entry?.mode;
    // Permission bits still come from the disk.
    const stat = statOrUndefined(path);
    return stat && stat.mode & 0o777;
  }

  /** What load() returns at once for a file on disk whose entry holds it decoded. */
  loadedNow(path: string): LoadedFile | undefined {
    const entry = this.entries.get(path);
    return entry?.overlay === undefined ? entry?.loaded : undefined;
  }

  /** The file decoded as PKI (an overlay's text instead of the disk's). Never rejects. */
  async load(path: string, overlay: string | undefined, reader: GuardedReader): Promise<LoadedFile> {
    await this.pause();
    const entry = this.entries.get(path);
    if (overlay !== undefined) {
      // Permission bits still come from the disk.
      const stat = statOrUndefined(path);
      const mode = stat && stat.mode & 0o777;
      if (entry?.overlay === overlay && entry.loaded) return { ...entry.loaded, mode };
      const loaded = { path, mode, decoded: decodePkiBytes(new Uint8Array(Buffer.from(overlay))) };
      if (entry?.overlay === overlay) entry.loaded = loaded;
      return loaded;
    }
    if (entry?.loaded) return entry.loaded;
    if (entry?.bytes) {
      entry.loaded = { path, mode: entry.mode, decoded: decodePkiBytes(entry.bytes) };
      entry.bytes = undefined;
      return entry.loaded;
    }
    // Not read as text when listed (DER, empty, binary or large), or unreadable then.
    const { loaded, stamp, racy } = loadFile(path, reader);
    if (entry && !entry.racy && !racy && stamp !== undefined && stamp === entry.stamp) entry.loaded = loaded;
    return loaded;
  }
}

/** An entry scan does not return as it is (trusted, without an editor's text): made from an editor's text, read racily, or unread. */
function unsettled(entry: CachedFile): boolean {
  return entry.overlay !== undefined || entry.racy || entry.stamp === undefined;
}

function stampOf(stat: Stats | undefined): string | undefined {
  return stat && `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}:${stat.dev}:${stat.mode}`;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Reads a listed file (up to `maxBytes`) through the check's guard: a file swapped since the
 * listing for a symlink leading out, a device or a FIFO is refused, never read.
 */
function readDisk(path: string, maxBytes: number, reader: GuardedReader): { stat: Stats; bytes?: Uint8Array; racy: boolean } | { error: unknown } {
  const started = Date.now();
  try {
    const { stat, bytes } = reader.read(path, maxBytes);
    return { stat, bytes, racy: started - Math.max(stat.mtimeMs, stat.ctimeMs) < RACY_MS };
  } catch (e) {
    return { error: e };
  }
}

/** A listed file, read once: its text parsed as configuration, its bytes kept for decoding when it holds PEM. */
function readEntry(path: string, reader: GuardedReader): CachedFile {
  const read = readDisk(path, MAX_CONFIG_FILE_BYTES, reader);
  if ('error' in read) return { racy: true, pem: false };
  const entry: CachedFile = { stamp: stampOf(read.stat), racy: read.racy, mode: read.stat.mode & 0o777, pem: false };
  const bytes = read.bytes;
  if (!bytes && read.stat.size > MAX_CONFIG_FILE_BYTES) {
    let head: Uint8Array | undefined;
    try {
      head = reader.read(path, CONFIG_HEAD_BYTES, true).bytes;
    } catch {
      head = undefined;
    }
    entry.config = head && tooLargeConfig(path, read.stat.size, head);
    return entry;
  }
  // Empty, huge or binary (DER, images...) files are not configuration.
  if (!bytes || bytes.length === 0 || bytes.includes(0)) return entry;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  entry.pem = holdsPemBlocks(path, text);
  const scanned = readConfigText(path, text, true);
  entry.config = scanned.config;
  if (scanned.joinedOnly) entry.joinedOnly = text;
  if (definesUnits(path, text)) entry.unitText = text;
  if (entry.pem) entry.bytes = bytes;
  return entry;
}

function loadFile(path: string, reader: GuardedReader): { loaded: LoadedFile; stamp?: string; racy: boolean } {
  const read = readDisk(path, MAX_PKI_FILE_BYTES, reader);
  if ('error' in read) return { loaded: { path, decoded: { format: 'none', blocks: [], error: describeFsError(read.error) } }, racy: true };
  const mode = read.stat.mode & 0o777;
  const decoded: DecodedFile = read.bytes
    ? decodePkiBytes(read.bytes)
    : { format: 'none', blocks: [], error: `file too large (${(read.stat.size / 1048576).toFixed(1)} MiB)` };
  return { loaded: { path, mode, decoded }, stamp: stampOf(read.stat), racy: read.racy };
}
