import { LineIndex } from '../../text/lineIndex';
import { flagSpec } from '../flagTable';
import { Reference } from '../reference';
import type { TextKind } from './documentKind';

/** A kubelet arguments variable at a line start: blanks are [ \t]*, never \s* (which crosses lines, quadratic under /m). */
const KUBELET_ENV = /^[ \t]*KUBELET_[A-Z_]*ARGS=/m;

/** kubeadm-flags.env (and /etc/default/kubelet): the kubelet's flags, outside any document. */
export const kubeletEnv: TextKind<never> = {
  id: 'kubelet-env',
  syntax: 'text',
  detect: (text) => KUBELET_ENV.test(text),
  read: (text, path) => ({ documents: [], envReferences: kubeletEnvReferences(text, path) }),
};

/** `NAME=` at the start of a line (blanks before it allowed). */
const ASSIGNMENT = /^[ \t]*[A-Z_][A-Z0-9_]*=/;

/**
 * kubeadm's /var/lib/kubelet/kubeadm-flags.env: KUBELET_KUBEADM_ARGS="--flag=value ...".
 * Not YAML: a shell variable assignment, split on whitespace like the
 * systemd unit that expands it.
 */
export function kubeletEnvReferences(text: string, path: string, lineIndex: LineIndex = new LineIndex(text)): Reference[] {
  const references: Reference[] = [];
  // Line by line, trimmed by hand: a regex `(.*?)\2\s*$` retried the blank tail at every offset (quadratic in trailing blanks).
  for (let lineStart = 0; lineStart <= text.length; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    const start = lineStart;
    lineStart = lineEnd + 1;
    const assignment = ASSIGNMENT.exec(line);
    if (!assignment) continue;
    let value = line.slice(assignment[0].length).trimEnd();
    let valueStart = start + assignment[0].length;
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) {
      value = value.slice(1, -1);
      valueStart += 1;
    }
    const words = [...value.matchAll(/\S+/g)];
    words.forEach((word, i) => {
      const item = word[0];
      if (!item.startsWith('--')) return;
      const eq = item.indexOf('=');
      const name = eq >= 0 ? item.slice(0, eq) : item;
      const spec = flagSpec('kubelet', name);
      if (!spec) return;
      const next = words[i + 1];
      const [flagValue, flagStart] =
        eq >= 0 ? [item.slice(eq + 1), valueStart + word.index! + eq + 1] : next && !next[0].startsWith('--') ? [next[0], valueStart + next.index!] : ['', 0];
      if (!flagValue) return;
      references.push({
        file: path,
        component: 'kubelet',
        name,
        role: spec.role,
        spec,
        value: flagValue,
        range: lineIndex.rangeOf({ start: flagStart, end: flagStart + flagValue.length }),
      });
    });
  }
  return references;
}
