import { basename, resolve } from 'node:path';
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import { nextTurn } from '../engine/check/scanTree';
import { FileCache } from '../engine/check/workspace';
import { isUnder } from '../engine/io/pathGuard';
import { PROJECT_CONFIG_FILE } from '../engine/run/projectConfig';
import type { CheckReport } from '../engine/run/runCheck';
import type { KubePkiService } from '../engine/service';
import { findingToDiagnostic, pathToUri } from './convert';
import { checkOpenFiles } from './openFileCheck';
import type { Settings } from './settings';

/** More removals than this at once (a branch switch): the folder is listed again rather than filtered by each. */
const MAX_DELETED_KEPT = 64;
/** Quiet period after typing (and other editor events) before a re-check; changes on disk need none. */
const RECHECK_DELAY_MS = 300;
/**
 * Changes on disk: re-checked on the next timer turn, so that events arriving
 * together share a run; a longer burst is absorbed by yieldInRun (the run waits
 * while events keep coming) and the re-run that follows.
 */
const DISK_QUIET_MS = 1;
/**
 * While editor events (edits, watched-file changes) keep arriving during a run,
 * the run waits until none came for this long. They queue in the connection ahead
 * of the user's requests, and the JSON-RPC reader takes one message per turn of
 * the event loop: a run going on through a storm of them would hold a hover for seconds.
 */
const EVENTS_QUIET_MS = 10;

interface FolderState {
  /** The last finished check: what hover, links and code lens read. */
  report?: CheckReport;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  dirty: boolean;
  /** URIs that got checker diagnostics last time, to clear them when they go away. */
  published: Set<string>;
  /** What the last runs read, parsed and decoded, by file: a re-check reads only what changed. */
  cache: FileCache;
  /**
   * List the folder again on the next run. Only changes to existing files on disk
   * (a watcher's "changed") leave the listing as it was; every other trigger lists
   * again, as a cold check would.
   */
  relist: boolean;
  /** Paths edited in the editor since the last run: one the listing does not hold lists the folder again. */
  edited: Set<string>;
  /** Paths the watcher reported deleted since the last listing: dropped from it instead of listing the tree again. */
  deleted: string[];
  /** When the run in progress (or the last one) started. */
  runStarted: number;
  /** The exclusion settings the listing was made with. */
  exclusionKey?: string;
  /** Until the first pass ends: the check of the open files alone, and the editor texts it was made from. */
  early?: { overlays: ReadonlyMap<string, string>; report: Promise<CheckReport | undefined> };
}

const LISTING_FILES = new Set([PROJECT_CONFIG_FILE, '.gitignore']);

/** A file changed on disk, as a file watcher reports it. */
export interface DiskChange {
  path: string;
  kind: 'created' | 'changed' | 'deleted';
}

/**
 * Runs `kube-pki check` over each workspace folder in the background and
 * publishes its findings, re-running (debounced) when a document changes or
 * a file changes on disk. One bad file never stops a run: the engine turns
 * it into a finding.
 */
export class WorkspaceChecker {
  private readonly folders = new Map<string, FolderState>();
  /** Checker diagnostics per URI, merged by the server with per-document ones. */
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** How many runs listed their folder (tests: an edit or a change on disk lists nothing). */
  listings = 0;
  /** When the last editor event (schedule, filesChanged) arrived. */
  private lastEvent = 0;

  constructor(
    private readonly connection: Connection,
    private readonly service: KubePkiService,
    private readonly overlays: () => ReadonlyMap<string, string>,
    private readonly publish: (uri: string) => void,
    /** A folder's settings, once the client has answered for them. */
    private readonly settings: (folder: string) => Promise<Settings>,
  ) {}

  setFolders(paths: string[]): void {
    for (const path of paths) {
      if (this.folders.has(path)) continue;
      const state: FolderState = {
        dirty: false,
        published: new Set(),
        cache: new FileCache(() => this.yieldInRun(state)),
        relist: true,
        edited: new Set(),
        deleted: [],
        runStarted: 0,
      };
      this.folders.set(path, state);
    }
  }

  folderPaths(): IterableIterator<string> {
    return this.folders.keys();
  }

  folderOf(path: string): string | undefined {
    return [...this.folders.keys()].filter((f) => isUnder(f, path)).sort((a, b) => b.length - a.length)[0];
  }

  /** The latest report of the folder holding `path`, waiting for a check in progress or scheduled. */
  async latest(path: string): Promise<CheckReport | undefined> {
    const folder = this.folderOf(path);
    const state = folder ? this.folders.get(folder) : undefined;
    if (!folder || !state) return undefined;
    if (state.timer || state.running || !state.report) await this.run(folder);
    return state.report;
  }

  /**
   * Re-checks the folder holding `path` (or every folder) after a short quiet period. An
   * edit of a listed file keeps the listing (the watcher tells what changes on disk);
   * an unlisted file or a change of settings lists the folder again.
   */
  schedule(path?: string): void {
    this.lastEvent = performance.now();
    for (const folder of this.targets(path)) {
      const state = this.folders.get(folder)!;
      // Judged when the run starts, against the listing it would reuse: a file opened during the first pass is
      // in that pass's listing, and does not cost a second listing of the tree.
      if (path) state.edited.add(path);
      else state.relist = true;
      clearTimeout(state.timer);
      state.timer = setTimeout(() => void this.run(folder), RECHECK_DELAY_MS);
    }
  }

  /**
   * Files changed on disk: what was read of them is dropped and their folders are
   * re-checked almost at once (events arriving together share one run). The other files
   * are used from the cache while their stamp is unchanged, so the re-check reads,
   * parses and decodes only what changed, then runs every rule again.
   */
  filesChanged(changes: DiskChange[]): void {
    this.lastEvent = performance.now();
    const folders = new Set<string>();
    for (const change of changes) {
      for (const folder of this.targets(change.path)) {
        const state = this.folders.get(folder)!;
        state.cache.invalidate([change.path]);
        // A removal takes the path (and what was under it) out of the listing; a creation lists again,
        // and so does a change of .kube-pki.yaml or a .gitignore (they say what is listed).
        if (change.kind === 'created' || LISTING_FILES.has(basename(change.path))) state.relist = true;
        else if (change.kind === 'deleted') state.deleted.push(change.path);
        folders.add(folder);
      }
    }
    for (const folder of folders) {
      const state = this.folders.get(folder)!;
      clearTimeout(state.timer);
      state.timer = setTimeout(() => void this.run(folder), DISK_QUIET_MS);
    }
  }

  /**
   * A file opened before its folder's first pass ended: the open files are checked on their
   * own (milliseconds) and their single-file findings published while the pass goes on; its
   * findings replace these when it ends. Hovers on the open files' own values are answered
   * from this check (earlyReport); those that need other files wait for the pass: the open
   * files' check alone would call every referenced file missing.
   */
  async opened(path: string): Promise<void> {
    const folder = this.folderOf(path);
    const state = folder ? this.folders.get(folder) : undefined;
    if (!folder || !state || state.report) return;
    // A copy: the texts this check reads, to tell later whether the file was typed in since.
    const overlays = new Map(this.overlays());
    const report = this.checkOpen(folder, overlays);
    state.early = { overlays, report };
    const early = await report;
    if (!early || state.report) return;
    for (const [uri, diagnostics] of diagnosticsByUri(early)) {
      state.published.add(uri);
      this.diagnostics.set(uri, diagnostics);
      this.publish(uri);
    }
  }

  /**
   * The check of the open files alone, while the first pass of the folder holding `path` runs and the
   * file's text is the one that check read; else undefined (use latest()). For single-file answers only.
   */
  async earlyReport(path: string): Promise<CheckReport | undefined> {
    const folder = this.folderOf(path);
    const state = folder ? this.folders.get(folder) : undefined;
    const early = state?.early;
    const text = early?.overlays.get(path);
    if (!state || !early || state.report || text === undefined || text !== this.overlays().get(path)) return undefined;
    const report = await early.report;
    return state.report ? undefined : report;
  }

  private async checkOpen(folder: string, overlays: ReadonlyMap<string, string>): Promise<CheckReport | undefined> {
    try {
      const settings = await this.settings(folder);
      const open = [...overlays.keys()].filter((p) => this.folderOf(p) === folder);
      return await checkOpenFiles(this.service, folder, open, overlays, settings, rootOf(folder, settings));
    } catch (e) {
      this.connection.console.error(`kube-pki: checking the open files of ${folder} failed: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** How a run's slice of synchronous work ends: a turn of the event loop, longer while events arrive during the run. */
  private async yieldInRun(state: FolderState): Promise<void> {
    await nextTurn();
    while (this.lastEvent > state.runStarted && performance.now() - this.lastEvent < EVENTS_QUIET_MS) {
      await new Promise((resolve) => setTimeout(resolve, EVENTS_QUIET_MS));
    }
  }

  private targets(path: string | undefined): string[] {
    return path ? [this.folderOf(path)].filter((f): f is string => !!f) : [...this.folders.keys()];
  }

  /** Checks a folder now (waiting for a run in progress, then running again with the latest state). */
  async run(folder: string): Promise<void> {
    const state = this.folders.get(folder);
    if (!state) return;
    clearTimeout(state.timer);
    state.timer = undefined;
    if (state.running) {
      state.dirty = true;
      await state.running;
      if (!state.dirty) return;
    }
    state.dirty = false;
    state.running = this.runOnce(folder, state).finally(() => (state.running = undefined));
    await state.running;
    if (state.dirty) await this.run(folder);
  }

  /** Checks every folder now, listing each again (files may have been written: quick fixes, generation). */
  async runAll(): Promise<void> {
    for (const state of this.folders.values()) state.relist = true;
    await Promise.all([...this.folders.keys()].map((f) => this.run(f)));
  }

  private async runOnce(folder: string, state: FolderState): Promise<void> {
    state.runStarted = performance.now();
    // The check does not wait for the client to create the progress token (a round trip).
    const progress = this.connection.window.createWorkDoneProgress().then(
      (p) => (p.begin('Kubernetes PKI', undefined, `checking ${folder}`), p),
      () => undefined,
    );
    try {
      const settings = await this.settings(folder);
      const root = rootOf(folder, settings);
      // The listing of the last run still holds when only existing files changed since, and
      // the watcher named them: the other files are used from the cache without a stat.
      // A change of what is excluded lists again.
      const exclusionKey = JSON.stringify([settings.exclude, settings.useGitignore]);
      if (exclusionKey !== state.exclusionKey) state.relist = true;
      state.exclusionKey = exclusionKey;
      // A node root outside the folder is not watched: its files are listed and stat'ed on every run, as before.
      const watched = !root || isUnder(folder, root);
      const workspace = state.report?.context.workspace;
      if ([...state.edited].some((path) => !workspace?.exists(path))) state.relist = true;
      state.edited.clear();
      const files = !state.relist && watched && workspace ? withoutDeleted(workspace.files, state.deleted) : undefined;
      const listing = files && state.report ? { files, warnings: state.report.warnings, excluded: workspace?.excluded } : undefined;
      state.relist = false;
      state.deleted = [];
      this.listings += listing ? 0 : 1;
      const report = await this.service.checkTree(folder, {
        overlays: this.overlays(),
        expiryWarningDays: settings.expiryWarningDays,
        root,
        cache: state.cache,
        listing,
        previous: state.report,
        ruleSeverities: settings.ruleSeverities,
        exclude: settings.exclude,
        useGitignore: settings.useGitignore,
      });
      state.report = report;
      state.early = undefined;
      const byUri = diagnosticsByUri(report);
      const touched = new Set([...state.published, ...byUri.keys()]);
      state.published = new Set(byUri.keys());
      for (const uri of touched) {
        const diagnostics = byUri.get(uri);
        // A URI whose diagnostics did not change is not sent again: a keystroke re-check sends what it changed.
        if (sameDiagnostics(this.diagnostics.get(uri), diagnostics)) continue;
        if (diagnostics) this.diagnostics.set(uri, diagnostics);
        else this.diagnostics.delete(uri);
        this.publish(uri);
      }
    } catch (e) {
      this.connection.console.error(`kube-pki: checking ${folder} failed: ${(e as Error).message}`);
    } finally {
      void progress.then((p) => p?.done());
    }
  }
}

/** The listing without the deleted paths and what was under them (the same array when nothing was deleted). */
function withoutDeleted(files: string[], deleted: string[]): string[] | undefined {
  if (deleted.length === 0) return files;
  if (deleted.length > MAX_DELETED_KEPT) return undefined;
  const gone = new Set(deleted);
  return files.filter((file) => !gone.has(file) && !deleted.some((d) => file.startsWith(`${d}/`)));
}

function sameDiagnostics(a: Diagnostic[] | undefined, b: Diagnostic[] | undefined): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}

function rootOf(folder: string, settings: Settings): string | undefined {
  return settings.nodeRoot ? resolve(folder, settings.nodeRoot) : undefined;
}

function diagnosticsByUri(report: CheckReport): Map<string, Diagnostic[]> {
  const byUri = new Map<string, Diagnostic[]>();
  for (const finding of report.findings) {
    const uri = pathToUri(finding.file);
    // Appended in place: a copy per finding was quadratic in a file's findings.
    const diagnostics = byUri.get(uri);
    if (diagnostics) diagnostics.push(findingToDiagnostic(finding));
    else byUri.set(uri, [findingToDiagnostic(finding)]);
  }
  return byUri;
}
