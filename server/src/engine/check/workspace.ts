import { promises as fs } from 'node:fs';
import { posix } from 'node:path';
import { DecodedFile, MAX_PKI_FILE_BYTES, decodePkiBytes } from '../pki/decode';
import { looksLikePem } from '../pki/pem';
import { describeFsError } from '../io/pkiFile';
import { LineIndex } from '../text/lineIndex';
import { ConfigDocument, readConfigDocument } from '../kube/configDocuments';
import { kubeletEnvReferences } from '../kube/envFile';
import { looksLikeOpensslConfig, readOpensslConfig } from '../kube/opensslConfig';
import { looksLikeSystemdUnit, readSystemdUnit } from '../kube/systemdUnit';
import type { Reference } from '../kube/reference';
import { parseYamlFile } from '../kube/yamlFile';
import type { Range } from '../text/lineIndex';

/** Config files larger than this are not parsed (no kubeconfig or manifest is this big). */
export const MAX_CONFIG_FILE_BYTES = 4 * 1024 * 1024;

/** One config file of the tree, parsed: its documents and references. */
export interface ConfigFile {
  path: string;
  documents: ConfigDocument[];
  /** References outside YAML documents (kubeadm-flags.env). */
  envReferences: Reference[];
  yamlErrors: Array<{ message: string; range: Range }>;
}

export interface LoadedFile {
  path: string;
  decoded: DecodedFile;
  /** Permission bits (for key-permissions); undefined when unknown. */
  mode?: number;
}

/**
 * The checked tree as the rules see it: the file list, parsed config files,
 * and a cache of decoded PKI files so that each file is read and decoded once
 * however many references name it.
 */
export class Workspace {
  private readonly fileSet: Set<string>;
  private readonly loaded = new Map<string, Promise<LoadedFile>>();

  constructor(
    readonly boundary: string,
    readonly files: string[],
    readonly configFiles: ConfigFile[],
    /** Files whose text holds PEM blocks (certificate files, YAML with embedded PEM). */
    readonly pemFiles: string[] = [],
    /** Unsaved editor text by path: it wins over the disk. */
    private readonly overlays: ReadonlyMap<string, string> = new Map(),
  ) {
    this.fileSet = new Set(files);
  }

  exists(path: string): boolean {
    return this.fileSet.has(posix.normalize(path));
  }

  load(path: string): Promise<LoadedFile> {
    let promise = this.loaded.get(path);
    if (!promise) {
      const overlay = this.overlays.get(path);
      promise = overlay !== undefined ? loadFile(path).then((disk) => ({ ...disk, decoded: decodePkiBytes(new Uint8Array(Buffer.from(overlay))) })) : loadFile(path);
      this.loaded.set(path, promise);
    }
    return promise;
  }

  /** Reads and parses every file that may be configuration (by content, not by name). */
  static async open(boundary: string, files: string[], overlays: ReadonlyMap<string, string> = new Map()): Promise<Workspace> {
    const configFiles: ConfigFile[] = [];
    const pemFiles: string[] = [];
    for (const path of files) {
      const text = overlays.get(path) ?? (await readSmallText(path));
      if (text === undefined) continue;
      if (looksLikePem(text) && PEM_BEARING.test(path)) pemFiles.push(path);
      const config = parseConfigText(path, text);
      if (config) configFiles.push(config);
    }
    return new Workspace(boundary, files, configFiles, pemFiles, overlays);
  }
}

async function loadFile(path: string): Promise<LoadedFile> {
  try {
    const stat = await fs.stat(path);
    if (stat.size > MAX_PKI_FILE_BYTES) {
      return { path, mode: stat.mode & 0o777, decoded: { format: 'none', blocks: [], error: `file too large (${(stat.size / 1048576).toFixed(1)} MiB)` } };
    }
    return { path, mode: stat.mode & 0o777, decoded: decodePkiBytes(new Uint8Array(await fs.readFile(path))) };
  } catch (e) {
    return { path, decoded: { format: 'none', blocks: [], error: describeFsError(e) } };
  }
}

/** Where a PEM block outside any reference is still checked: PKI files and YAML, not prose (README examples). */
const PEM_BEARING = /\.(pem|crt|cer|cert|key|csr|pub|ya?ml|conf|insecure)$/i;

/** The text of a file small enough to be configuration; undefined for binary, empty, huge or unreadable files. */
async function readSmallText(path: string): Promise<string | undefined> {
  try {
    const stat = await fs.stat(path);
    if (stat.size === 0 || stat.size > MAX_CONFIG_FILE_BYTES) return undefined;
    const bytes = await fs.readFile(path);
    if (bytes.includes(0)) return undefined; // binary (DER, images...)
    return bytes.toString('utf8');
  } catch {
    return undefined;
  }
}


export function parseConfigText(path: string, text: string): ConfigFile | undefined {
  const lineIndex = new LineIndex(text);
  if (/^\s*KUBELET_[A-Z_]*ARGS=/m.test(text)) {
    return { path, documents: [], envReferences: kubeletEnvReferences(text, path, lineIndex), yamlErrors: [] };
  }
  if (looksLikeOpensslConfig(text)) {
    return { path, documents: [{ kind: 'openssl-config', config: readOpensslConfig(text, lineIndex) }], envReferences: [], yamlErrors: [] };
  }
  if (looksLikeSystemdUnit(text)) {
    const unit = readSystemdUnit(text, path, lineIndex);
    return unit ? { path, documents: [{ kind: 'systemd-unit', component: unit.component, references: unit.references }], envReferences: [], yamlErrors: [] } : undefined;
  }
  // PEM files and other non-YAML text are not configuration; a cheap look first.
  if (looksLikePem(text) && !/^\s*(apiVersion|kind|clusters)\s*:/m.test(text)) return undefined;
  if (!/^\s*(apiVersion|kind|clusters|users|contexts)\s*:/m.test(text)) return undefined;
  const yaml = parseYamlFile(text, lineIndex);
  const documents = yaml.documents.map((doc) => readConfigDocument(yaml, doc, path)).filter((d) => d.kind !== 'other');
  if (documents.length === 0 && yaml.errors.length === 0) return undefined;
  return { path, documents, envReferences: [], yamlErrors: documents.length > 0 || /^\s*kind\s*:\s*(Config|Pod|KubeletConfiguration)\b/m.test(text) ? yaml.errors : [] };
}
