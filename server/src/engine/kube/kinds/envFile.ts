import { posix } from 'node:path';
import { LineIndex } from '../../text/lineIndex';
import { Component, envSpec, flagSpec } from '../flagTable';
import type { Reference } from '../reference';
import type { TextKind } from './documentKind';

/** One component's settings from an environment file: what systemd's EnvironmentFile= hands to its ExecStart. */
export interface EnvFileDocument {
  kind: 'env-file';
  component: Component;
  references: Reference[];
}

// Blanks are [ \t]* at a line start (never \s*, which crosses lines): one try per line, linear.
/** kubespray's /etc/etcd.env: etcd reads ETCD_CERT_FILE as --cert-file. */
const ETCD_FILE_VARIABLE = /^[ \t]*ETCD_(PEER_)?(CERT_FILE|KEY_FILE|TRUSTED_CA_FILE)=/m;
/** RPM-era /etc/kubernetes/{apiserver,controller-manager,scheduler,proxy}: flags in KUBE_*_ARGS-style variables. */
const KUBE_VARIABLE = /^[ \t]*KUBE_(API_ARGS|CONTROLLER_MANAGER_ARGS|SCHEDULER_ARGS|PROXY_ARGS|ETCD_SERVERS|API_ADDRESS|SERVICE_ADDRESSES)=/m;

/** Env files: kubespray's /etc/etcd.env and package installs' /etc/kubernetes/<component>. Told by content, the file name picks the component. */
export const envFile: TextKind<EnvFileDocument> = {
  id: 'env-file',
  syntax: 'text',
  detect: (text) => ETCD_FILE_VARIABLE.test(text) || KUBE_VARIABLE.test(text),
  read(text, path) {
    const documents = readEnvFile(text, path);
    return documents.length > 0 ? { documents, envReferences: [] } : undefined;
  },
  addToNode(node, doc, file) {
    if (doc.component === 'kubelet') node.kubelet.push(...doc.references);
    else if (doc.component === 'kube-proxy') node.componentConfigs.push(...doc.references);
    else {
      // The unit that reads the file (ExecStart=/usr/bin/kube-apiserver $KUBE_API_ARGS) may come first: the flags join it.
      const pod = node.pods[doc.component];
      if (pod) pod.references.push(...doc.references);
      else node.pods[doc.component] = { component: doc.component, file, references: doc.references, container: { name: doc.component, mounts: [] } };
    }
  },
};

/** The component an RPM-era file configures, by its name (/etc/kubernetes/apiserver...); `config` is shared by all, so none. */
const COMPONENT_BY_FILE: Readonly<Record<string, Component>> = {
  apiserver: 'kube-apiserver',
  'controller-manager': 'kube-controller-manager',
  scheduler: 'kube-scheduler',
  kubelet: 'kubelet',
  proxy: 'kube-proxy',
};

/** The component a variable belongs to when the file name does not say (KUBE_API_ARGS is the API server's wherever it is). */
function componentOfVariable(name: string): Component | undefined {
  if (name.startsWith('ETCD_')) return 'etcd';
  if (name.startsWith('KUBELET_')) return 'kubelet';
  if (name.startsWith('KUBE_CONTROLLER_MANAGER_')) return 'kube-controller-manager';
  if (name.startsWith('KUBE_SCHEDULER_')) return 'kube-scheduler';
  if (name.startsWith('KUBE_PROXY_')) return 'kube-proxy';
  if (name.startsWith('KUBE_API_') || name === 'KUBE_ETCD_SERVERS' || name === 'KUBE_SERVICE_ADDRESSES' || name === 'KUBE_ADMISSION_CONTROL')
    return 'kube-apiserver';
  return undefined;
}

/** `NAME=` at a line start, `export` allowed (a sourced shell file). */
const ASSIGNMENT = /^[ \t]*(export[ \t]+)?([A-Z_][A-Z0-9_]*)=/;

/** One assignment's value with its offset in the text, quotes removed. */
interface Assignment {
  name: string;
  value: string;
  start: number;
}

/** The assignments of an env file, line by line (comments and blank lines skipped); each line is looked at once. */
export function envAssignments(text: string): Assignment[] {
  const assignments: Assignment[] = [];
  for (let lineStart = 0; lineStart <= text.length; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    const start = lineStart;
    lineStart = lineEnd + 1;
    const assignment = ASSIGNMENT.exec(line);
    if (!assignment) continue;
    const rest = line.slice(assignment[0].length);
    const quote = rest[0] === '"' || rest[0] === "'" ? rest[0] : undefined;
    // Quoted: up to the closing quote; bare: up to the line's end, trimmed by hand (no backtracking regex).
    const close = quote ? rest.indexOf(quote, 1) : -1;
    const value = quote ? rest.slice(1, close < 0 ? rest.length : close) : rest.trimEnd();
    assignments.push({ name: assignment[2], value, start: start + assignment[0].length + (quote ? 1 : 0) });
  }
  return assignments;
}

/** Each component's references in the file: ETCD_* variables as etcd's flags, and the `--flag=value` words of every value. */
export function readEnvFile(text: string, path: string, lineIndex: LineIndex = new LineIndex(text)): EnvFileDocument[] {
  const byFile = COMPONENT_BY_FILE[posix.basename(path)];
  const byComponent = new Map<Component, Reference[]>();
  // Appended in place: a copy per reference was quadratic in a file's flags.
  const add = (reference: Reference) => {
    const list = byComponent.get(reference.component);
    if (list) list.push(reference);
    else byComponent.set(reference.component, [reference]);
  };
  for (const { name, value, start } of envAssignments(text)) {
    const component = byFile ?? componentOfVariable(name);
    if (!component) continue;
    const spec = envSpec(component, name);
    if (spec && value) add({ file: path, component, name, role: spec.role, spec, value, range: lineIndex.rangeOf({ start, end: start + value.length }) });
    else for (const reference of flagWords(value, start, component, path, lineIndex)) add(reference);
  }
  return [...byComponent].map(([component, references]) => ({ kind: 'env-file', component, references }));
}

/** The `--flag=value` and `--flag value` words of a value, as the unit's $VAR expansion splits them. */
export function flagWords(value: string, valueStart: number, component: Component, path: string, lineIndex: LineIndex): Reference[] {
  const words = [...value.matchAll(/\S+/g)];
  return words.flatMap((word, i) => {
    if (!word[0].startsWith('--')) return [];
    const eq = word[0].indexOf('=');
    const name = eq >= 0 ? word[0].slice(0, eq) : word[0];
    const spec = flagSpec(component, name);
    const next = words[i + 1];
    const [flagValue, at] = eq >= 0 ? [word[0].slice(eq + 1), word.index! + eq + 1] : next && !next[0].startsWith('--') ? [next[0], next.index!] : ['', 0];
    if (!spec || !flagValue) return [];
    const start = valueStart + at;
    return [{ file: path, component, name, role: spec.role, spec, value: flagValue, range: lineIndex.rangeOf({ start, end: start + flagValue.length }) }];
  });
}
