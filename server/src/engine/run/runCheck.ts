import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildNodes, nodesHold, sameNodeParts } from '../check/clusterModel';
import { Exclusion } from '../check/exclusion';
import { CheckOptions, Finding, RuleContext } from '../check/ruleContext';
import { listTree, TreeListing } from '../check/scanTree';
import { changedPaths } from '../check/targetReuse';
import { FileCache, Workspace } from '../check/workspace';
import { GuardedReader } from '../io/guardedRead';
import { OutsideError, PathGuard } from '../io/pathGuard';
import { clusterFolders, inside } from '../kube/nodePaths';
import { RULES } from '../rules';
import { internalError } from '../rules/internalError';
import type { Rule } from '../rules/rule';
import { applyRuleLevels, RuleLevels } from '../rules/severityOverrides';
import { DEFAULT_EXPIRY_WARNING_DAYS } from '../verify/validity';
import { MAX_PROJECT_CONFIG_BYTES, PROJECT_CONFIG_FILE, ProjectConfig, parseProjectConfig } from './projectConfig';

export interface CheckReport {
  /** The folder checked; findings' files are under it. */
  boundary: string;
  findings: Finding[];
  /** Files and folders left out, with why (symlink loops, unreadable folders). */
  warnings: Array<{ path: string; message: string }>;
  filesScanned: number;
  configFiles: number;
  nodes: number;
  /** The resolved model behind the findings, for the editor features (hover, links, code lens). */
  context: RuleContext;
}

const SEVERITY_ORDER = { error: 0, warning: 1, information: 2, hint: 3 } as const;

export interface CheckTreeOptions extends Partial<CheckOptions> {
  /** Unsaved editor text by path: it wins over the disk. */
  overlays?: ReadonlyMap<string, string>;
  /**
   * What earlier checks of this folder read, parsed and decoded: files whose
   * stamp is unchanged are not read again. The findings are those of a check
   * without it.
   */
  cache?: FileCache;
  /**
   * The folder's files, when the caller knows them unchanged since it listed them
   * (only file contents changed). With it, the cache is trusted too: files it holds
   * are not stat'ed, as the caller (a file watcher's events) invalidated what changed.
   */
  listing?: TreeListing;
  /**
   * Levels by rule code (off, error, warning, information, hint): the CLI's --rule or the
   * editor's kubePki.rules. They win over the folder's .kube-pki.yaml, which wins over the defaults.
   */
  ruleSeverities?: RuleLevels;
  /** Globs relative to the folder (--exclude, kubePki.exclude, files.exclude), besides .kube-pki.yaml's `exclude`. */
  exclude?: readonly string[];
  /**
   * The last check of this folder: its nodes are used again when the config files and the listing are the same
   * objects, and its targets where their resolution and file are unchanged (check/targetReuse.ts). The findings
   * are those of a check without it.
   */
  previous?: CheckReport;
  /** false: .gitignore files are not honoured (--no-gitignore, kubePki.useGitignore); .kube-pki.yaml's `gitignore: false` also turns them off. */
  useGitignore?: boolean;
}

const KNOWN_CODES: ReadonlySet<string> = new Set(RULES.map((r) => r.meta.code));

/** Those of the folders that exist. */
async function existingFolders(dirs: string[]): Promise<string[]> {
  const present = await Promise.all(
    dirs.map((d) =>
      fs.stat(d).then(
        (s) => s.isDirectory(),
        () => false,
      ),
    ),
  );
  return dirs.filter((_, i) => present[i]);
}

/** Runs every rule over one folder. Never throws for bad input: broken files become findings. */
export async function checkTree(dir: string, options: CheckTreeOptions = {}): Promise<CheckReport> {
  const boundary = resolve(dir);
  const full: CheckOptions = {
    now: options.now ?? new Date(),
    expiryWarningDays: options.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS,
    root: options.root ? resolve(options.root) : undefined,
  };
  // A node root outside the checked folder (`--root /`, or the editor's nodeRoot setting) is read too,
  // but only its cluster folders and etc/hostname (the node's name): never a whole file system.
  const outsideRoot = full.root && !inside(boundary, full.root) ? full.root : undefined;
  const roots = [boundary, ...(outsideRoot ? await existingFolders(clusterFolders(outsideRoot)) : [])];
  // What the check may read: the folder and a node root's cluster folders, judged again at each read.
  const hostname = outsideRoot ? [join(outsideRoot, 'etc', 'hostname')] : [];
  const reader = new GuardedReader(new PathGuard({ readRoots: roots, readFiles: hostname, writeRoots: [] }));
  // The project file is read before the listing: its `exclude` and `gitignore` say what is listed.
  const configPath = join(boundary, PROJECT_CONFIG_FILE);
  const project = readProjectConfig(configPath, options.overlays, reader);
  const exclusion = new Exclusion(boundary, {
    patterns: [...(options.exclude ?? []), ...(project?.exclude ?? [])],
    gitignore: options.useGitignore !== false && project?.gitignore !== false,
  });
  const listing =
    options.listing ?? (await listTree(roots, options.cache?.yieldTo, exclusion.empty ? undefined : (path, isDir) => exclusion.excludes(path, isDir)));
  if (!options.listing && !exclusion.empty) listing.excluded = (path) => exclusion.covers(path);
  const workspace = await Workspace.open(boundary, listing.files, options.overlays, options.cache, options.listing !== undefined, reader, listing.excluded);
  const previous = options.previous?.context;
  const sameFolder = previous?.workspace.boundary === boundary && previous.options.root === full.root ? previous : undefined;
  const nodes = sameModel(sameFolder, workspace) ? sameFolder!.nodes : buildNodes(workspace.configFiles, boundary, full.root, workspace.files);
  const ctx = new RuleContext(workspace, nodes, full);
  await ctx.prepare(sameFolder);
  for (const rule of RULES) runRule(rule, ctx);
  const sorted = dedupe(ctx.findings).sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.code.localeCompare(b.code),
  );
  // The user's levels apply after sorting, so a finding keeps its place whatever its severity becomes.
  const findings = applyRuleLevels(sorted, [options.ruleSeverities ?? {}, project?.rules ?? {}]);
  const warnings = [...listing.warnings, ...(project?.problems ?? []).map((message) => ({ path: configPath, message }))];
  return {
    boundary,
    findings,
    warnings,
    filesScanned: listing.files.length,
    configFiles: workspace.configFiles.filter((c) => c.tooLarge === undefined).length,
    nodes: nodes.length,
    context: ctx,
  };
}

/**
 * buildNodes reads the config files and the listing alone: the same objects make the same nodes (a file that adds
 * nothing to a node may differ), and so does a listing that only gained or lost files the model never read (a
 * certificate removed, as the watcher said).
 */
function sameModel(previous: RuleContext | undefined, now: Workspace): boolean {
  const before = previous?.workspace;
  if (!previous || !before || before.configFiles.length !== now.configFiles.length) return false;
  // An edited file whose documents go to no node (an open Secret being typed in) keeps the nodes too.
  if (!before.configFiles.every((config, i) => sameNodeParts(config, now.configFiles[i]))) return false;
  return before.files === now.files || nodesHold(previous.nodes, changedPaths(before.files, now.files));
}

/** The folder's .kube-pki.yaml (the editor's text first); undefined when there is none, or it leads out of the folder. */
function readProjectConfig(path: string, overlays: ReadonlyMap<string, string> | undefined, reader: GuardedReader): ProjectConfig | undefined {
  const overlay = overlays?.get(path);
  if (overlay !== undefined) return parseProjectConfig(overlay, KNOWN_CODES);
  try {
    const { bytes } = reader.readFile(path, MAX_PROJECT_CONFIG_BYTES);
    if (bytes) return parseProjectConfig(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), KNOWN_CODES);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A listing leaves out what is absent or leads out of the folder: so does this read.
    if (e instanceof OutsideError || ['ENOENT', 'ENOTDIR', 'EISDIR', 'ENOTREG'].includes(code ?? '')) return undefined;
  }
  return { rules: {}, exclude: [], problems: [`not read: unreadable, or over ${MAX_PROJECT_CONFIG_BYTES / 1024} KiB`] };
}

/** Runs one rule; a rule that throws becomes an internal-error finding, and the other rules' findings stand. */
export function runRule(rule: Rule, ctx: RuleContext): void {
  try {
    rule.check(ctx, (at, message, fix, severity) =>
      ctx.report(rule.meta.code, severity ?? rule.meta.severity, { file: at.file, range: at.range }, message, fix),
    );
  } catch (e) {
    ctx.report(
      internalError.meta.code,
      internalError.meta.severity,
      { file: ctx.workspace.boundary, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
      `rule ${rule.meta.code} failed: ${(e as Error).message}`,
    );
  }
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.file}|${f.range.start.line}|${f.range.start.character}|${f.code}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
