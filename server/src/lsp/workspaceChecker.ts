import { resolve, sep } from 'node:path';
import type { Severity } from '../engine/check/ruleContext';
import type { Connection } from 'vscode-languageserver/node';
import type { Diagnostic } from 'vscode-languageserver/node';
import { CheckReport, checkTree } from '../engine/check/runCheck';
import { FileCache } from '../engine/check/workspace';
import { findingToDiagnostic, pathToUri } from './convert';

/** Quiet period after typing (and other editor events) before a re-check; changes on disk need none. */
const RECHECK_DELAY_MS = 300;
/** Changes on disk: a few milliseconds without another event, so that a burst (a whole folder rewritten) makes one run. */
const DISK_QUIET_MS = 5;
const SEVERITIES: Severity[] = ['error', 'warning', 'information', 'hint'];

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
}

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

  constructor(
    private readonly connection: Connection,
    private readonly overlays: () => ReadonlyMap<string, string>,
    private readonly publish: (uri: string) => void,
    private readonly settings: () => { expiryWarningDays: number; nodeRoot?: string; ruleSeverities: Record<string, string> },
  ) {}

  setFolders(paths: string[]): void {
    for (const path of paths) if (!this.folders.has(path)) this.folders.set(path, { dirty: false, published: new Set(), cache: new FileCache(), relist: true });
  }

  folderPaths(): IterableIterator<string> {
    return this.folders.keys();
  }

  folderOf(path: string): string | undefined {
    return [...this.folders.keys()].filter((f) => path === f || path.startsWith(f.endsWith(sep) ? f : f + sep)).sort((a, b) => b.length - a.length)[0];
  }

  /** The latest report of the folder holding `path`, waiting for a check in progress or scheduled. */
  async latest(path: string): Promise<CheckReport | undefined> {
    const folder = this.folderOf(path);
    const state = folder ? this.folders.get(folder) : undefined;
    if (!folder || !state) return undefined;
    if (state.timer || state.running || !state.report) await this.run(folder);
    return state.report;
  }

  /** Re-checks the folder holding `path` (or every folder) after a short quiet period. */
  schedule(path?: string): void {
    for (const folder of this.targets(path)) {
      const state = this.folders.get(folder)!;
      state.relist = true;
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
    const folders = new Set<string>();
    for (const change of changes) {
      for (const folder of this.targets(change.path)) {
        const state = this.folders.get(folder)!;
        state.cache.invalidate([change.path]);
        if (change.kind !== 'changed') state.relist = true;
        folders.add(folder);
      }
    }
    for (const folder of folders) {
      const state = this.folders.get(folder)!;
      clearTimeout(state.timer);
      state.timer = setTimeout(() => void this.run(folder), DISK_QUIET_MS);
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
    const progress = await this.connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('Kubernetes PKI', undefined, `checking ${folder}`);
    try {
      const settings = this.settings();
      const root = settings.nodeRoot ? resolve(folder, settings.nodeRoot) : undefined;
      // The listing of the last run still holds when only existing files changed since.
      const listing = !state.relist && state.report ? { files: state.report.context.workspace.files, warnings: state.report.warnings } : undefined;
      state.relist = false;
      const report = await checkTree(folder, { overlays: this.overlays(), expiryWarningDays: settings.expiryWarningDays, root, cache: state.cache, listing });
      state.report = report;
      const byUri = new Map<string, Diagnostic[]>();
      for (const found of report.findings) {
        // The user's per-rule severities: "off" hides a rule, anything else overrides its default.
        const override = settings.ruleSeverities[found.code];
        if (override === 'off') continue;
        const finding = SEVERITIES.includes(override as Severity) ? { ...found, severity: override as Severity } : found;
        const uri = pathToUri(finding.file);
        byUri.set(uri, [...(byUri.get(uri) ?? []), findingToDiagnostic(finding)]);
      }
      const touched = new Set([...state.published, ...byUri.keys()]);
      state.published = new Set(byUri.keys());
      for (const uri of touched) {
        if (byUri.has(uri)) this.diagnostics.set(uri, byUri.get(uri)!);
        else this.diagnostics.delete(uri);
        this.publish(uri);
      }
    } catch (e) {
      this.connection.console.error(`kube-pki: checking ${folder} failed: ${(e as Error).message}`);
    } finally {
      progress?.done();
    }
  }
}
