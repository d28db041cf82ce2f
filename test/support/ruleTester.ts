// Per-rule tests in memory, after eslint's RuleTester and kube-linter's mock lint context:
// a few files (no disk) become the cluster model one rule reads, and its findings are
// compared whole (place, message, fix title).

import { createPrivateKey, generateKeyPairSync, webcrypto } from 'node:crypto';
import type { Stats } from 'node:fs';
import { buildNodes } from '../../server/src/engine/check/clusterModel';
import { RuleContext } from '../../server/src/engine/check/ruleContext';
import { FileCache, Workspace } from '../../server/src/engine/check/workspace';
import { issueCertificate, Usage } from '../../server/src/engine/gen/issue';
import { generateKey } from '../../server/src/engine/gen/keys';
import { GuardedReader, ReadResult } from '../../server/src/engine/io/guardedRead';
import { PathGuard } from '../../server/src/engine/io/pathGuard';
import { x509 } from '../../server/src/engine/pki/x509Runtime';
import type { Rule } from '../../server/src/engine/rules/rule';

/** Where the in-memory tree stands: it exists nowhere on disk. */
export const ROOT = '/mem/cluster';
/** The instant every rule test checks at. */
export const NOW = new Date('2025-06-01T00:00:00Z');

export type MemoryTree = Record<string, string | { text: string; mode: number }>;

/** The check's reader over a map of files: the same Workspace, cache and decoding, no disk. */
class MemoryReader extends GuardedReader {
  constructor(private readonly files: ReadonlyMap<string, { text: string; mode: number }>) {
    super(new PathGuard({ readRoots: [], writeRoots: [] }));
  }

  override read(path: string, maxBytes: number, head = false): ReadResult {
    const file = this.files.get(path);
    if (!file) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    const bytes = new Uint8Array(Buffer.from(file.text));
    const stat = {
      size: bytes.length,
      mode: 0o100000 | file.mode,
      mtimeMs: 0,
      ctimeMs: 0,
      ino: 0,
      dev: 0,
      isFile: () => true,
      isDirectory: () => false,
    } as unknown as Stats;
    if (bytes.length > maxBytes) return head ? { stat, bytes: bytes.subarray(0, maxBytes), real: path } : { stat, real: path };
    return { stat, bytes, real: path };
  }

  override readFile(path: string, maxBytes: number): ReadResult {
    return this.read(path, maxBytes);
  }
}

export interface ContextOptions {
  now?: Date;
  expiryWarningDays?: number;
  /** Folders (absolute) that hold a .git entry. */
  gitDirs?: string[];
}

/** The context a check would give its rules for these files (paths relative to ROOT). */
export async function contextOf(tree: MemoryTree, options: ContextOptions = {}): Promise<RuleContext> {
  const files = new Map(Object.entries(tree).map(([rel, f]) => [`${ROOT}/${rel}`, typeof f === 'string' ? { text: f, mode: 0o600 } : f]));
  const paths = [...files.keys()].sort();
  const workspace = await Workspace.open(ROOT, paths, new Map(), new FileCache(), false, new MemoryReader(files));
  const nodes = buildNodes(workspace.configFiles, ROOT, undefined, workspace.files);
  const gitDirs = new Set(options.gitDirs ?? []);
  const ctx = new RuleContext(
    workspace,
    nodes,
    { now: options.now ?? NOW, expiryWarningDays: options.expiryWarningDays ?? 30 },
    { hasGitEntry: (dir) => gitDirs.has(dir) },
  );
  await ctx.prepare();
  return ctx;
}

/** One finding as a user reads it: "file:line:col-line:col message" (1-based, as the CLI prints), its fix's title, and a severity other than the rule's. */
export type Seen = string;

/** Runs one rule over the files; its findings in report order. */
export async function findings(rule: Rule, tree: MemoryTree, options: ContextOptions = {}): Promise<Seen[]> {
  const ctx = await contextOf(tree, options);
  const seen: Seen[] = [];
  rule.check(ctx, (at, message, fix, severity) => {
    const { start, end } = at.range;
    seen.push(
      `${at.file.slice(ROOT.length + 1)}:${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${message}${fix ? ` [fix: ${fix.title}]` : ''}${severity && severity !== rule.meta.severity ? ` [${severity}]` : ''}`,
    );
  });
  return seen;
}

// ---- PKI made once per test run (ECDSA: fast) ----

export interface Pair {
  cert: string;
  key: string;
}

interface Made extends Pair {
  x509: x509.X509Certificate;
  privateKey: CryptoKey;
}

export interface LeafOptions {
  subject: Array<[string, string]>;
  usages?: Usage[];
  sans?: string[];
  ca?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  /** The issuer; self-signed when absent. */
  signer?: Promise<Made>;
  /** A weak RSA key (1024 bits) instead of ECDSA P-256. */
  weakRsa?: boolean;
}

const made = new Map<string, Promise<Made>>();

/** A certificate and its key, made once per run under `name`. Default validity: 2025-01-01 to 2026-01-01. */
export function pki(name: string, options: LeafOptions): Promise<Made> {
  let promise = made.get(name);
  if (!promise) {
    promise = make(options);
    made.set(name, promise);
  }
  return promise;
}

async function make(options: LeafOptions): Promise<Made> {
  const keys = options.weakRsa ? await weakRsaKeys() : (await generateKey('ECDSA-P256')).keys;
  const signer = options.signer ? await options.signer : undefined;
  const cert = await issueCertificate(
    {
      subject: options.subject,
      ca: options.ca ?? false,
      usages: options.usages ?? [],
      sans: options.sans ?? [],
      notBefore: options.notBefore ?? new Date('2025-01-01T00:00:00Z'),
      notAfter: options.notAfter ?? new Date('2026-01-01T00:00:00Z'),
      publicKey: keys.publicKey,
    },
    keys,
    signer && { certificate: signer.x509, privateKey: signer.privateKey },
  );
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();
  return { cert: cert.toString('pem') + '\n', key, x509: cert, privateKey: keys.privateKey };
}

async function weakRsaKeys(): Promise<CryptoKeyPair> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return {
    privateKey: await webcrypto.subtle.importKey('pkcs8', privateKey.export({ format: 'der', type: 'pkcs8' }), algorithm, true, ['sign']),
    publicKey: await webcrypto.subtle.importKey('spki', publicKey.export({ format: 'der', type: 'spki' }), algorithm, true, ['verify']),
  } as CryptoKeyPair;
}

/** The cluster CA, and a second CA that signed nothing the cluster trusts. */
export const clusterCa = () => pki('ca', { subject: [['CN', 'kubernetes']], ca: true });
export const otherCa = () => pki('other-ca', { subject: [['CN', 'other-ca']], ca: true });

// ---- files as kubeadm writes them ----

/** A static pod manifest of `component` with these flags, its PKI folder mounted as kubeadm does. */
export function manifest(component: string, flags: string[], mounts = ['/etc/kubernetes/pki']): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${component}`,
    '  namespace: kube-system',
    'spec:',
    '  containers:',
    '  - command:',
    `    - ${component}`,
    ...flags.map((f) => `    - ${f}`),
    `    name: ${component}`,
    '    volumeMounts:',
    ...mounts.flatMap((m, i) => [`    - mountPath: ${m}`, `      name: v${i}`]),
    '  volumes:',
    ...mounts.flatMap((m, i) => [`  - hostPath:`, `      path: ${m}`, `    name: v${i}`]),
    '',
  ].join('\n');
}

export const b64 = (text: string) => Buffer.from(text).toString('base64');

/** Where kubeconfig() puts the user's client-certificate-data value ("line:col-line:col", 1-based): its length varies with the signature's. */
export const clientCertDataAt = (pair: Pair) => `17:30-17:${30 + b64(pair.cert).length}`;

/** A kubeconfig with one cluster, one user (embedded cert and key) and a current context. */
export function kubeconfig(user: string, pair: Pair, ca: Pair, server = 'https://192.168.10.10:6443'): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${b64(ca.cert)}`,
    `    server: ${server}`,
    '  name: kubernetes',
    'contexts:',
    '- context:',
    '    cluster: kubernetes',
    `    user: ${user}`,
    `  name: ${user}@kubernetes`,
    `current-context: ${user}@kubernetes`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    client-certificate-data: ${b64(pair.cert)}`,
    `    client-key-data: ${b64(pair.key)}`,
    '',
  ].join('\n');
}

/** A Secret manifest (data values base64-encoded here), in the shape kubectl create secret writes. */
export function secret(name: string, namespace: string, data: Record<string, string>, type = 'kubernetes.io/tls'): string {
  return [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    `type: ${type}`,
    'data:',
    ...Object.entries(data).map(([key, value]) => `  ${key}: ${b64(value)}`),
    '',
  ].join('\n');
}

/** Where secret() puts the value of its `index`-th data key ("line:col-line:col", 1-based). */
export function secretValueAt(data: Record<string, string>, index: number): string {
  const [key, value] = Object.entries(data)[index];
  return `${8 + index}:${key.length + 5}-${8 + index}:${key.length + 5 + b64(value).length}`;
}
