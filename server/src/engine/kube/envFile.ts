import { LineIndex } from '../text/lineIndex';
import { flagSpec } from './flagTable';
import { Reference } from './reference';

/**
 * kubeadm's /var/lib/kubelet/kubeadm-flags.env: KUBELET_KUBEADM_ARGS="--flag=value ...".
 * Not YAML: a shell variable assignment, split on whitespace like the
 * systemd unit that expands it.
 */
export function kubeletEnvReferences(text: string, path: string, lineIndex: LineIndex = new LineIndex(text)): Reference[] {
  const references: Reference[] = [];
  const assignment = /^(\s*[A-Z_][A-Z0-9_]*=)(["']?)(.*?)\2\s*$/gm;
  for (let match = assignment.exec(text); match; match = assignment.exec(text)) {
    const valueStart = match.index + match[1].length + match[2].length;
    const words = [...match[3].matchAll(/\S+/g)];
    words.forEach((word, i) => {
      const item = word[0];
      if (!item.startsWith('--')) return;
      const eq = item.indexOf('=');
      const name = eq >= 0 ? item.slice(0, eq) : item;
      const spec = flagSpec('kubelet', name);
      if (!spec) return;
      const next = words[i + 1];
      const [value, start] = eq >= 0 ? [item.slice(eq + 1), valueStart + word.index! + eq + 1] : next && !next[0].startsWith('--') ? [next[0], valueStart + next.index!] : ['', 0];
      if (!value) return;
      references.push({ file: path, component: 'kubelet', name, role: spec.role, spec, value, range: lineIndex.rangeOf({ start, end: start + value.length }) });
    });
  }
  return references;
}
