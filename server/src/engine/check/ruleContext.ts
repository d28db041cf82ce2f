import { existsSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { CERTIFICATE_ROLES, FILE_ROLES, KEY_ROLES } from '../kube/flagTable';
import { mapContainerPath, ResolvedPath, resolveNodePath } from '../kube/nodePaths';
import type { Reference } from '../kube/reference';
import { unexpandedVariable } from '../kube/unexpandedVariable';
import type { CertificateInfo } from '../pki/certificate';
import type { DecodedFile } from '../pki/decode';
import { decodeEmbeddedData } from '../pki/embeddedData';
import type { PrivateKeyInfo } from '../pki/privateKey';
import type { PublicKeyInfo } from '../pki/publicKey';
import type { Severity } from '../severity';
import type { Range } from '../text/lineIndex';
import { NodeModel, nodeReferences } from './clusterModel';
import type { FixSpec } from './fixSpec';
import { ObjectModel } from './objectModel';
import { ListingProbes, stillHolds, untouched } from './targetReuse';
import type { LoadedFile, Workspace } from './workspace';

/** One finding, in the file where the user looks (the flag or field whose value is wrong). */
export interface Finding {
  file: string;
  range: Range;
  severity: Severity;
  code: string;
  message: string;
  /** A quick fix for it, when kube-pki can write the missing or right file. */
  fix?: FixSpec;
}

/** What a reference points at, once resolved and decoded. */
export type ReferenceTarget =
  | { status: 'ok'; path?: string; decoded: DecodedFile; certs: CertificateInfo[]; privateKey?: PrivateKeyInfo; publicKeys: PublicKeyInfo[]; mode?: number }
  | { status: 'missing'; path: string }
  | { status: 'not-mounted'; containerPath: string }
  /** `message` names the file by its base name; `detail` is what follows the name, for messages that name it otherwise. */
  | { status: 'invalid'; path?: string; message: string; detail: string }
  /** Not a file reference (settings), or a kubeconfig/config file read as configuration. */
  | { status: 'not-a-pki-file' };

export interface CheckOptions {
  now: Date;
  expiryWarningDays: number;
  /** Explicit node root: "/" of every node path maps here. */
  root?: string;
}

/**
 * The questions about the file system a check asks beyond reading files. A
 * probe, not a read: the answer is one name's existence, and the walk for a
 * .git goes above the checked folder (the repository root holds it).
 */
export interface FactProbes {
  /** Whether `dir` holds a `.git` entry (a folder, or a worktree's file). */
  hasGitEntry(dir: string): boolean;
}

export const DISK_PROBES: FactProbes = { hasGitEntry: (dir) => existsSync(join(dir, '.git')) };

/** Longest etc/hostname kube-pki takes for a node name (a DNS name is at most 253). */
const MAX_HOSTNAME_BYTES = 1024;

/**
 * A node's etc/hostname, trimmed and lowercased: a few bytes of a regular file, through the
 * check's guard (a link leading out, /dev/zero or a huge file is not a name).
 */
export function readHostname(workspace: Workspace, root: string): string | undefined {
  const hostname = workspace.readText(posix.join(root, 'etc', 'hostname'), MAX_HOSTNAME_BYTES)?.trim();
  return hostname && hostname.length < 254 ? hostname.toLowerCase() : undefined;
}

/**
 * Embedded PEM (kubeconfig *-data) decoded once per reference: a FileCache keeps
 * a config file's references from one check to the next while the file is unchanged.
 */
const inlineDecoded = new WeakMap<Reference, { value: string; decoded: DecodedFile | { invalid: string } }>();

function decodeInline(ref: Reference): DecodedFile | { invalid: string } {
  const hit = inlineDecoded.get(ref);
  if (hit?.value === ref.value) return hit.decoded;
  const decoded = decodeEmbeddedData('', ref.value);
  inlineDecoded.set(ref, { value: ref.value, decoded });
  return decoded;
}

/** " of admin" (a kubeconfig user), " of context prod" (a talosconfig), "" (a Talos machine config field says where it is). */
function inlineOwner(ref: Reference): string {
  if (ref.component === 'talosconfig') return ` of context ${ref.owner}`;
  if (ref.component === 'talos') return '';
  return ` of ${ref.owner ?? 'the kubeconfig'}`;
}

/**
 * Where a reference resolved, while the tree's file list (the same array: a
 * checker re-uses the listing when only file contents changed), boundary and
 * root are those it was resolved in. Resolution reads nothing else: in another
 * listing it holds while none of the paths it asked about was added or removed,
 * nor one its suffix searches would count (`probed`).
 */
const resolutions = new WeakMap<Reference, { files: string[]; boundary: string; root?: string; resolved: ResolvedPath; probed: ListingProbes }>();

/**
 * What every rule receives: the nodes, and each reference resolved and
 * decoded once. Rules are synchronous and pure: they read this and report.
 */
export class RuleContext {
  private readonly targets = new Map<Reference, ReferenceTarget>();
  private readonly resolved = new Map<Reference, ResolvedPath>();
  /** The file each target was decoded from: what the next check compares to use the target again. */
  private readonly loadedBy = new Map<Reference, LoadedFile>();
  readonly findings: Finding[] = [];
  /** PEM files no reference names: still checked on their own (expired, weak, broken), on the block's line. */
  readonly standalone: LoadedFile[] = [];
  private readonly hostnames = new Map<NodeModel, string | undefined>();
  private readonly gitFolders = new Map<string, boolean>();
  /** The API objects of the tree (Secrets, webhook configurations...), with their values decoded on demand. */
  readonly objects: ObjectModel;

  constructor(
    readonly workspace: Workspace,
    readonly nodes: NodeModel[],
    readonly options: CheckOptions,
    private readonly probes: FactProbes = DISK_PROBES,
  ) {
    this.objects = new ObjectModel(workspace.configFiles);
  }

  get now(): Date {
    return this.options.now;
  }

  /**
   * Resolves and decodes every reference of every node (the only async step). Given the previous check
   * of the same folder, a target whose resolution and file are unchanged is taken from it (targetReuse.ts).
   */
  async prepare(previous?: RuleContext): Promise<void> {
    const all = [...this.nodes.flatMap(nodeReferences), ...this.nodes.flatMap((n) => n.implicit)];
    const computing: Promise<unknown>[] = [];
    for (const ref of all) {
      const kept = previous && this.kept(ref, previous);
      if (kept) this.targets.set(ref, kept);
      else computing.push(this.computeTarget(ref).then((target) => this.targets.set(ref, target)));
    }
    await Promise.all(computing);
    const referenced = new Set([...this.resolved.values()].flatMap((r) => (r.found ? [r.path] : [])));
    const configs = new Set(this.workspace.configFiles.map((c) => c.path));
    for (const path of this.workspace.pemFiles) {
      if (referenced.has(path)) continue;
      const loaded = this.workspace.loadedNow(path) ?? (await this.workspace.load(path));
      // A config file with embedded PEM only counts for its blocks; a file of nothing decodable is not PKI.
      if (configs.has(path) && loaded.decoded.blocks.length === 0) continue;
      this.standalone.push(loaded);
    }
    this.learnFacts(previous);
  }

  /** The previous check's target of `ref` when what it was made of is unchanged; else undefined. */
  private kept(ref: Reference, previous: RuleContext): ReferenceTarget | undefined {
    const target = previous.targets.get(ref);
    if (!target) return undefined;
    const before = previous.resolved.get(ref);
    const loaded = previous.loadedBy.get(ref);
    const resolved = before && this.resolve(ref);
    if (!stillHolds({ target, resolved: before, loaded, files: previous.workspace.files }, resolved, this.workspace)) return undefined;
    if (resolved) this.resolved.set(ref, resolved);
    if (loaded) this.loadedBy.set(ref, loaded);
    return target;
  }

  /** A node's etc/hostname, trimmed and lowercased; undefined when absent, empty or not a name. Read by prepare. */
  hostname(node: NodeModel): string | undefined {
    return this.hostnames.get(node);
  }

  /**
   * Whether a private key file the check loaded lies in a git work tree, where
   * git keeps no modes (every key is 0644 or 0600 by the checkout's umask). Decided by prepare.
   */
  inGitWorkTree(path: string): boolean {
    return this.gitFolders.get(dirname(path)) ?? false;
  }

  /** The permission bits of a file of the tree (a kubeconfig holding client-key-data), as the check read it. */
  fileMode(path: string): number | undefined {
    return this.workspace.mode(path);
  }

  /** Reads what rules need of the file system besides the targets, so that rules do no I/O. */
  private learnFacts(previous: RuleContext | undefined): void {
    const before = new Map(previous?.nodes.map((n) => [n.root, previous.hostnames.get(n)]));
    for (const node of this.nodes) {
      // The previous check's name while the file is the one it read (listed, and the cache's same entry).
      const kept = previous && before.has(node.root) && this.workspace.unchangedSince(previous.workspace, posix.join(node.root, 'etc', 'hostname'));
      this.hostnames.set(node, kept ? before.get(node.root) : readHostname(this.workspace, node.root));
    }
    for (const [ref, target] of this.targets) {
      if (KEY_ROLES.has(ref.role) && target.status === 'ok' && target.path) this.gitWorkTree(dirname(target.path));
      // A kubeconfig holding client-key-data is a private key file too.
      if (KEY_ROLES.has(ref.role) && ref.inline) this.gitWorkTree(dirname(ref.file));
    }
  }

  private gitWorkTree(dir: string): boolean {
    const known = this.gitFolders.get(dir);
    if (known !== undefined) return known;
    const result = this.probes.hasGitEntry(dir) || (dirname(dir) !== dir && this.gitWorkTree(dirname(dir)));
    this.gitFolders.set(dir, result);
    return result;
  }

  target(ref: Reference): ReferenceTarget {
    return this.targets.get(ref) ?? { status: 'not-a-pki-file' };
  }

  /** The decoded target when it is present and valid; undefined otherwise (another rule reports why). */
  ok(ref: Reference | undefined): Extract<ReferenceTarget, { status: 'ok' }> | undefined {
    if (!ref) return undefined;
    const target = this.target(ref);
    return target.status === 'ok' ? target : undefined;
  }

  /** Where a reference resolved in the tree, for kubeconfig-to-file links and messages. */
  resolvedPath(ref: Reference): ResolvedPath | undefined {
    return this.resolved.get(ref);
  }

  /**
   * "apiserver.crt (from --tls-cert-file)": how messages name one side of an edge.
   * Given the file the reference resolved to, names it by its path in the tree instead.
   */
  describe(ref: Reference, resolved?: string): string {
    const what = ref.inline ? `the ${ref.name}${inlineOwner(ref)}` : resolved ? this.shownPath(resolved) : posix.basename(ref.value);
    if (ref.builtInBy) return `${what} (from ${ref.name}, which ${ref.builtInBy} passes to ${ref.component})`;
    return ref.inline
      ? `${what} in ${posix.basename(ref.file)}`
      : `${what} (from ${ref.name}${ref.owner ? ` of ${ref.owner}` : ''} in ${posix.basename(ref.file)})`;
  }

  /** How messages name a file of the tree: its path from the checked folder ("etc/kubernetes/pki/ca.crt"), absolute when outside it. */
  shownPath(path: string): string {
    const relative = posix.relative(this.workspace.boundary, path);
    return relative && !relative.startsWith('../') && relative !== '..' ? relative : path;
  }

  report(code: string, severity: Severity, at: { file: string; range: Range }, message: string, fix?: FixSpec): void {
    this.findings.push({ file: at.file, range: at.range, severity, code, message, ...(fix ? { fix } : {}) });
  }

  private resolve(ref: Reference): ResolvedPath {
    const { files, boundary } = this.workspace;
    const root = this.options.root;
    const hit = resolutions.get(ref);
    if (hit && hit.boundary === boundary && hit.root === root && (hit.files === files || untouched(hit.probed, hit.files, files, boundary))) {
      hit.files = files;
      return hit.resolved;
    }
    const probed: ListingProbes = { paths: [], suffixes: [] };
    const resolved = this.resolveNow(ref, probed);
    resolutions.set(ref, { files, boundary, root, resolved, probed });
    return resolved;
  }

  private resolveNow(ref: Reference, probed: ListingProbes): ResolvedPath {
    let nodePath = ref.value;
    if (ref.container) {
      if (!nodePath.startsWith('/')) nodePath = posix.join('/', nodePath);
      const host = mapContainerPath(nodePath, ref.container);
      if (host === undefined) return { found: false, path: nodePath, reason: 'not-mounted' };
      nodePath = host;
    }
    return resolveNodePath(nodePath, ref.file, {
      boundary: this.workspace.boundary,
      root: this.options.root,
      exists: (p) => (probed.paths.push(posix.normalize(p)), this.workspace.exists(p)),
      allFiles: (suffix) => (probed.suffixes.push(suffix), this.workspace.files),
    });
  }

  /** A path written as a folder (trailing slash), or one the tree holds files under. */
  private namesFolder(value: string, path: string): boolean {
    if (value.endsWith('/')) return true;
    const folder = posix.normalize(path);
    const prefix = folder.endsWith('/') ? folder : `${folder}/`;
    return this.workspace.files.some((f) => f.startsWith(prefix));
  }

  private async computeTarget(ref: Reference): Promise<ReferenceTarget> {
    if (!FILE_ROLES.has(ref.role)) return { status: 'not-a-pki-file' };
    // Expanded on the node (${CERT_DIR}/kubelet.crt): the path is unknown here (unexpanded-variable says so).
    if (!ref.inline && unexpandedVariable(ref.value)) return { status: 'not-a-pki-file' };
    let decoded: DecodedFile;
    let path: string | undefined;
    let mode: number | undefined;
    if (ref.inline) {
      const inline = decodeInline(ref);
      if ('invalid' in inline) return { status: 'invalid', message: `${ref.name}${inline.invalid}`, detail: inline.invalid };
      decoded = inline;
    } else {
      const resolved = this.resolve(ref);
      this.resolved.set(ref, resolved);
      if (!resolved.found && resolved.reason === 'not-mounted') return { status: 'not-mounted', containerPath: resolved.path };
      // Old kubelets' --config was the static pod folder, not a KubeletConfiguration file.
      if (!resolved.found && ref.component === 'kubelet' && ref.spec.name === '--config' && this.namesFolder(ref.value, resolved.path))
        return { status: 'not-a-pki-file' };
      if (!resolved.found) return { status: 'missing', path: resolved.path };
      path = resolved.path;
      if (ref.role === 'kubeconfig' || ref.role === 'config') return { status: 'not-a-pki-file' };
      const loaded = await this.workspace.load(path);
      this.loadedBy.set(ref, loaded);
      decoded = loaded.decoded;
      mode = loaded.mode;
    }
    const shown = path ? posix.basename(path) : ref.name;
    const invalid = (detail: string): ReferenceTarget => ({ status: 'invalid', path, message: `${shown}${detail}`, detail });
    if (decoded.error) return invalid(`: ${decoded.error}`);
    const broken = decoded.blocks.find((b) => b.error);
    if (broken) return invalid(`: block ${broken.index + 1}${broken.range ? ` (line ${broken.range.start.line + 1})` : ''}: ${broken.error}`);
    const certs = decoded.blocks.flatMap((b) => (b.object?.kind === 'certificate' ? [b.object] : []));
    const privateKey = decoded.blocks.map((b) => b.object).find((o): o is PrivateKeyInfo => o?.kind === 'privateKey');
    const publicKeys = decoded.blocks.flatMap((b) => (b.object?.kind === 'publicKey' ? [b.object.publicKey] : []));
    if (CERTIFICATE_ROLES.has(ref.role) && certs.length === 0) return invalid(` holds no certificate (${ref.name} needs one)`);
    if (KEY_ROLES.has(ref.role) && !privateKey) return invalid(` holds no private key (${ref.name} needs one)`);
    if (KEY_ROLES.has(ref.role) && privateKey?.encrypted) return invalid(' is an encrypted private key, which Kubernetes components cannot read');
    if (ref.role === 'sa-public-key' && certs.length === 0 && !privateKey && publicKeys.length === 0)
      return invalid(' holds no public key, private key or certificate');
    return { status: 'ok', path, decoded, certs, privateKey, publicKeys, mode };
  }
}
