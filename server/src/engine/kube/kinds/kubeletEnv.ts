import { LineIndex } from '../../text/lineIndex';
import type { Reference } from '../reference';
import type { TextKind } from './documentKind';
import { envAssignments, flagWords } from './envFile';

/** A kubelet arguments variable at a line start: blanks are [ \t]*, never \s* (which crosses lines, quadratic under /m). */
const KUBELET_ENV = /^[ \t]*KUBELET_[A-Z_]*ARGS=/m;

/** kubeadm-flags.env (and /etc/default/kubelet): the kubelet's flags, outside any document. */
export const kubeletEnv: TextKind<never> = {
  id: 'kubelet-env',
  syntax: 'text',
  detect: (text) => KUBELET_ENV.test(text),
  read: (text, path) => ({ documents: [], envReferences: kubeletEnvReferences(text, path) }),
};

/**
 * kubeadm's /var/lib/kubelet/kubeadm-flags.env: KUBELET_KUBEADM_ARGS="--flag=value ...".
 * Not YAML: a shell variable assignment, split on whitespace like the
 * systemd unit that expands it (the env-file scanner's assignments and flag words).
 */
export function kubeletEnvReferences(text: string, path: string, lineIndex: LineIndex = new LineIndex(text)): Reference[] {
  return envAssignments(text).flatMap(({ value, start }) => flagWords(value, start, 'kubelet', path, lineIndex));
}
