import { LineIndex } from '../../text/lineIndex';
import { componentOfCommand } from '../componentCommand';
import { Component, flagSpec } from '../flagTable';
import { Reference } from '../reference';
import type { TextKind } from './documentKind';

const UNIT_COMPONENTS: Component[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy', 'etcd'];

export interface SystemdUnit {
  component: Component;
  references: Reference[];
}

/** A systemd unit running a component on the host (no container: paths are host paths). */
export interface SystemdUnitDocument extends SystemdUnit {
  kind: 'systemd-unit';
}

export const systemdUnit: TextKind<SystemdUnitDocument> = {
  id: 'systemd-unit',
  syntax: 'text',
  detect: looksLikeSystemdUnit,
  read(text, path) {
    const unit = readSystemdUnit(text, path);
    return unit && { documents: [{ kind: 'systemd-unit', component: unit.component, references: unit.references }], envReferences: [] };
  },
  addToNode(node, doc, file) {
    if (doc.component === 'kubelet') node.kubelet.push(...doc.references);
    else if (doc.component === 'kube-proxy') node.componentConfigs.push(...doc.references);
    else node.pods[doc.component] ??= { component: doc.component, file, references: doc.references, container: { name: doc.component, mounts: [] } };
  },
};

interface Token {
  text: string;
  start: number;
}

/** Is this text a systemd unit or drop-in (the hard way and kubeadm's 10-kubeadm.conf run components so)? */
export function looksLikeSystemdUnit(text: string): boolean {
  return UNIT_SECTION.test(text) && UNIT_KEY.test(text);
}

// Blanks are [ \t] (not \s, which crosses lines and made /^\s*x/m quadratic in blank lines).
const UNIT_SECTION = /^[ \t]*\[(Unit|Service|Install)\][ \t]*\r?$/m;
const UNIT_KEY = /^[ \t]*(ExecStart|Environment)[ \t]*=/m;

/**
 * Reads the flags of a unit's ExecStart (with `\` continuation lines) and of
 * Environment="VAR=--flag=value ..." lines. systemd's syntax is line based,
 * so tokens are taken line by line with their offsets.
 */
export function readSystemdUnit(text: string, path: string, lineIndex: LineIndex = new LineIndex(text)): SystemdUnit | undefined {
  const lines = text.split(/\r?\n/);
  let offset = 0;
  const starts = lines.map((line) => {
    const start = offset;
    offset += line.length + 1;
    return start;
  });
  const execTokens: Token[] = [];
  const envTokens: Token[] = [];
  for (let i = 0; i < lines.length; i++) {
    const exec = /^\s*ExecStart\s*=\s*/.exec(lines[i]);
    const env = /^\s*Environment\s*=\s*"?[A-Za-z_][A-Za-z0-9_]*=/.exec(lines[i]);
    if (!exec && !env) continue;
    const into = exec ? execTokens : envTokens;
    let from = (exec ?? env)![0].length;
    for (; i < lines.length; i++) {
      const line = lines[i];
      for (const match of line.slice(from).matchAll(/[^\s\\"]+/g)) into.push({ text: match[0], start: starts[i] + from + match.index! });
      from = 0;
      if (!/\\\s*$/.test(line)) break;
    }
  }
  // The program is the first word systemd does not take as a prefix (`-/usr/bin/x` is written as `-` then the path).
  const program = execTokens.findIndex((t) => !t.text.startsWith('-'));
  const line = program < 0 ? [] : execTokens.slice(program).map((t) => t.text);
  const component = componentOfCommand(line, UNIT_COMPONENTS) ?? (envTokens.length > 0 && /kubelet/.test(path) ? 'kubelet' : undefined);
  if (!component) return undefined;
  const tokens = [...execTokens, ...envTokens];
  const references: Reference[] = [];
  tokens.forEach((token, i) => {
    if (!token.text.startsWith('--')) return;
    const eq = token.text.indexOf('=');
    const name = eq >= 0 ? token.text.slice(0, eq) : token.text;
    const spec = flagSpec(component, name);
    if (!spec) return;
    const next = tokens[i + 1];
    const [value, start] = eq >= 0 ? [token.text.slice(eq + 1), token.start + eq + 1] : next && !next.text.startsWith('--') ? [next.text, next.start] : ['', 0];
    if (value) references.push({ file: path, component, name, role: spec.role, spec, value, range: lineIndex.rangeOf({ start, end: start + value.length }) });
  });
  return { component, references };
}
