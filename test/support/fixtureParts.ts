// The pieces both fixture layouts are made of: a tree writer, YAML and kubeconfig text, static Pods, addresses, openssl extensions.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

export interface FixtureTree {
  /** Absolute directory that stands for / of the node. */
  root: string;
  /** Relative paths written (files and symlinks), '/'-separated, sorted. */
  files: string[];
}

export const CA_EXTENSIONS = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign'];
export const CA_DAYS = 3650;
export const K8S_VERSION = 'v1.30.4';
export const ETCD_IMAGE = 'registry.k8s.io/etcd:3.5.12-0';
// The kubelet names this file after the time it wrote it; a fixed stamp keeps the file list deterministic.
export const KUBELET_CLIENT_PEM = 'kubelet-client-2025-01-01-00-00-00.pem';

export function leafExtensions(eku: string, sans: string[] = [], keyUsage = 'digitalSignature,keyEncipherment'): string[] {
  return [
    'basicConstraints=critical,CA:FALSE',
    `keyUsage=critical,${keyUsage}`,
    `extendedKeyUsage=${eku}`,
    'authorityKeyIdentifier=keyid',
    ...(sans.length ? [`subjectAltName=${sans.join(',')}`] : []),
  ];
}

/** Collects what is written under root, with the file modes kubeadm and kubectl use. */
export class Tree {
  private readonly written = new Set<string>();
  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  write(rel: string, text: string, mode = 0o644): void {
    const file = join(this.root, rel);
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
    writeFileSync(file, text);
    // writeFileSync's mode only applies to new files and is filtered by the umask; tests check exact modes.
    chmodSync(file, mode);
    this.written.add(rel);
  }

  secret(rel: string, text: string): void {
    this.write(rel, text, 0o600);
  }

  symlink(rel: string, target: string): void {
    const file = join(this.root, rel);
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
    symlinkSync(target, file);
    this.written.add(rel);
  }

  result(): FixtureTree {
    return { root: this.root, files: [...this.written].sort() };
  }
}

/** YAML the way Go's sigs.k8s.io/yaml prints it: sorted keys, sequences not indented under their key. */
export function toYaml(value: unknown): string {
  return stringify(value, { sortMapEntries: true, indentSeq: false, lineWidth: 0, minContentWidth: 0 });
}

export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function kubeconfig(
  cluster: string,
  server: string,
  caPem: string,
  user: string,
  certPem: string,
  keyPem: string,
  context = `${user}@${cluster}`,
): string {
  return toYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { 'certificate-authority-data': b64(caPem), server } }],
    contexts: [{ name: context, context: { cluster, user } }],
    'current-context': context,
    preferences: {},
    users: [{ name: user, user: { 'client-certificate-data': b64(certPem), 'client-key-data': b64(keyPem) } }],
  });
}

// --- IP arithmetic, for the service CIDR's first address (apiserver SAN) and tenth (cluster DNS) ---

export function parseIp(text: string): { v6: boolean; value: bigint } {
  if (!text.includes(':')) {
    const parts = text.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`bad IPv4 address ${text}`);
    return { v6: false, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const groups = (s: string | undefined): string[] => (s ? s.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  if (all.length !== 8) throw new Error(`bad IPv6 address ${text}`);
  return { v6: true, value: all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

export function formatIp(v6: boolean, value: bigint): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The n-th address of a CIDR, as kubeadm's GetAPIServerVirtualIP (n=1) and GetDNSIP (n=10) compute it. */
export function nthAddress(cidr: string, n: number): string {
  const first = cidr.split(',')[0]!.trim();
  const [address, prefixText] = first.split('/') as [string, string | undefined];
  const { v6, value } = parseIp(address);
  const bits = v6 ? 128n : 32n;
  const prefix = BigInt(prefixText ?? bits);
  const mask = ((1n << bits) - 1n) ^ ((1n << (bits - prefix)) - 1n);
  return formatIp(v6, (value & mask) + BigInt(n));
}

export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

// --- kubeadm static Pods ---

export interface Volume {
  name: string;
  hostPath: string;
  mountPath?: string;
  type: 'DirectoryOrCreate' | 'FileOrCreate';
  readOnly?: boolean;
}

export function httpProbe(
  host: string,
  path: string,
  port: number,
  scheme: 'HTTP' | 'HTTPS',
  failureThreshold: number,
  extra: Record<string, number> = { initialDelaySeconds: 10, periodSeconds: 10 },
): unknown {
  return { failureThreshold, httpGet: { host, path, port, scheme }, ...extra, timeoutSeconds: 15 };
}

export function staticPod(spec: {
  name: string;
  annotations?: Record<string, string>;
  image: string;
  command: string[];
  volumes: Volume[];
  requests: Record<string, string>;
  liveness?: unknown;
  readiness?: unknown;
  startup?: unknown;
}): string {
  const container: Record<string, unknown> = {
    command: spec.command,
    image: spec.image,
    imagePullPolicy: 'IfNotPresent',
    name: spec.name,
    resources: { requests: spec.requests },
    volumeMounts: spec.volumes.map((v) => ({ mountPath: v.mountPath ?? v.hostPath, name: v.name, ...(v.readOnly ? { readOnly: true } : {}) })),
  };
  if (spec.liveness) container.livenessProbe = spec.liveness;
  if (spec.readiness) container.readinessProbe = spec.readiness;
  if (spec.startup) container.startupProbe = spec.startup;
  return toYaml({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(spec.annotations ? { annotations: spec.annotations } : {}),
      creationTimestamp: null,
      labels: { component: spec.name, tier: 'control-plane' },
      name: spec.name,
      namespace: 'kube-system',
    },
    spec: {
      containers: [container],
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      volumes: [...spec.volumes].sort((a, b) => (a.name < b.name ? -1 : 1)).map((v) => ({ hostPath: { path: v.hostPath, type: v.type }, name: v.name })),
    },
    status: {},
  });
}
