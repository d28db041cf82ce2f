import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { OpensslWorkspace } from './openssl';
import { service } from './service';

/** A private copy of a generated tree, to seed one defect into. */
export function copyTree(source: string): string {
  const target = mkdtempSync(join(tmpdir(), 'kube-pki-seed-'));
  cpSync(source, target, { recursive: true, verbatimSymlinks: true });
  return target;
}

export function edit(root: string, file: string, change: (text: string) => string): void {
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`seeding ${file} changed nothing`);
  writeFileSync(path, after);
}

/** 1-based line of the first line of `file` that contains `needle`. */
export function lineOf(root: string, file: string, needle: string): number {
  const index = readFileSync(join(root, file), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`${needle} not found in ${file}`);
  return index + 1;
}

/** Issues a certificate from a CA of the tree (with openssl), returning PEM text of cert and key. */
export function issue(
  root: string,
  ca: { cert: string; key: string },
  subject: string,
  extensions: string[],
  options: { bits?: number; startDate?: string; endDate?: string } = {},
): { cert: string; key: string } {
  const ws = new OpensslWorkspace();
  try {
    ws.write('ca.crt', readFileSync(join(root, ca.cert)));
    ws.write('ca.key', readFileSync(join(root, ca.key)));
    const key = ws.rsaKey('leaf.key', options.bits ?? 2048);
    ws.signed('leaf', subject, 'ca', extensions, { key, startDate: options.startDate, endDate: options.endDate });
    return { cert: ws.read('leaf.crt'), key: ws.read('leaf.key') };
  } finally {
    ws.dispose();
  }
}

export function writeKeyFile(root: string, file: string, pem: string): void {
  writeFileSync(join(root, file), pem);
  chmodSync(join(root, file), 0o600);
}

/** [code, file, line] of every finding: what a user reads in the Problems panel, without the prose. */
export async function findingsOf(root: string, options: { now?: Date; root?: string } = {}): Promise<Array<[string, string, number]>> {
  const report = await service.checkTree(root, options);
  return report.findings.map((f) => [f.code, f.file.slice(root.length + 1), f.range.start.line + 1]);
}

export async function messagesOf(root: string): Promise<string[]> {
  return (await service.checkTree(root)).findings.map((f) => f.message);
}

/**
 * A clean tree generated once for a suite, and private copies of it with one
 * defect seeded each; all removed after the suite.
 */
export function fixtureTrees(make: (root: string) => void): { clean(): string; seeded(seed: (root: string) => void): string; scratch(): string } {
  let clean = '';
  const copies: string[] = [];
  before(() => {
    clean = mkdtempSync(join(tmpdir(), 'kube-pki-fixture-'));
    make(clean);
  });
  after(() => [clean, ...copies].forEach((d) => rmSync(d, { recursive: true, force: true })));
  return {
    clean: () => clean,
    seeded(seed) {
      const root = copyTree(clean);
      copies.push(root);
      seed(root);
      return root;
    },
    scratch() {
      const dir = mkdtempSync(join(tmpdir(), 'kube-pki-scratch-'));
      copies.push(dir);
      return dir;
    },
  };
}

/** Replaces the client certificate and key embedded in a kubeconfig. */
export function replaceKubeconfigUser(root: string, file: string, pair: { cert: string; key: string }): void {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  edit(root, file, (t) =>
    t
      .replace(/client-certificate-data: \S+/, `client-certificate-data: ${b64(pair.cert)}`)
      .replace(/client-key-data: \S+/, `client-key-data: ${b64(pair.key)}`),
  );
}
