import { microk8sArgsFile } from '../../distributions/microk8s';
import { LineIndex } from '../../text/lineIndex';
import { Component, flagSpec } from '../flagTable';
import { Reference } from '../reference';
import type { TextKind } from './documentKind';

/** A component's flags written one a line (MicroK8s's args/ files), known by the file's path. */
export interface ArgsFileDocument {
  kind: 'args-file';
  component: Component;
  references: Reference[];
}

export const argsFile: TextKind<ArgsFileDocument> = {
  id: 'args-file',
  syntax: 'text',
  detect: (_text, path) => microk8sArgsFile(path) !== undefined,
  read(text, path) {
    const args = microk8sArgsFile(path);
    if (!args) return undefined;
    const references = readArgsFile(text, path, args.component, args.variables);
    return { documents: [{ kind: 'args-file', component: args.component, references }], envReferences: [] };
  },
  addToNode(node, doc, file) {
    if (doc.component === 'kubelet') node.kubelet.push(...doc.references);
    else if (doc.component === 'kube-proxy') node.componentConfigs.push(...doc.references);
    // Host paths (the snap runs the components as processes): no mounts to map through.
    else node.pods[doc.component] ??= { component: doc.component, file, references: doc.references, container: { name: doc.component, mounts: [] } };
  },
};

/**
 * `--flag=value` or `--flag value` a line, `#` comments and blank lines between; a value may be quoted
 * (the snap reads the file as a bash array, so quotes go and the snap's variables are expanded). Each
 * reference's value is the expanded path, its range the value as written.
 */
export function readArgsFile(text: string, path: string, component: Component, variables: Record<string, string>): Reference[] {
  const lineIndex = new LineIndex(text);
  const references: Reference[] = [];
  for (let lineStart = 0; lineStart <= text.length; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd).trimEnd();
    const start = lineStart;
    lineStart = lineEnd + 1;
    const lead = line.length - line.trimStart().length;
    if (!line.startsWith('--', lead)) continue;
    const cut = firstOf(line, lead, ['=', ' ', '\t']);
    const name = line.slice(lead, cut);
    const spec = flagSpec(component, name);
    if (!spec || cut >= line.length) continue;
    let from = cut + 1;
    while (line[from] === ' ' || line[from] === '\t') from++;
    let to = line.length;
    if (to - from >= 2 && (line[from] === '"' || line[from] === "'") && line[to - 1] === line[from]) [from, to] = [from + 1, to - 1];
    const written = line.slice(from, to);
    if (!written) continue;
    const range = lineIndex.rangeOf({ start: start + from, end: start + to });
    references.push({ file: path, component, name, role: spec.role, spec, value: expand(written, variables), range });
  }
  return references;
}

function firstOf(line: string, from: number, chars: string[]): number {
  const found = chars.map((c) => line.indexOf(c, from)).filter((i) => i >= 0);
  return found.length > 0 ? Math.min(...found) : line.length;
}

/** ${NAME} and $NAME for the snap's own variables, in one left-to-right pass; any other variable stays as written. */
export function expand(value: string, variables: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < value.length; ) {
    if (value[i] !== '$') {
      out += value[i++];
      continue;
    }
    const braced = value[i + 1] === '{';
    let end = i + (braced ? 2 : 1);
    while (end < value.length && /[A-Za-z0-9_]/.test(value[end])) end++;
    const name = value.slice(i + (braced ? 2 : 1), end);
    const close = braced ? (value[end] === '}' ? end + 1 : -1) : end;
    if (close > 0 && Object.hasOwn(variables, name)) {
      out += variables[name];
      i = close;
    } else out += value[i++];
  }
  return out;
}
