import type { Component } from './flagTable';

/**
 * hyperkube's subcommands (old CoreOS, Rancher and kube-aws layouts ran every component from one binary):
 * each has its short name and, since 1.4, the component's own name.
 */
const HYPERKUBE_SUBCOMMANDS: ReadonlyMap<string, Component> = new Map<string, Component>([
  ['apiserver', 'kube-apiserver'],
  ['kube-apiserver', 'kube-apiserver'],
  ['controller-manager', 'kube-controller-manager'],
  ['kube-controller-manager', 'kube-controller-manager'],
  ['scheduler', 'kube-scheduler'],
  ['kube-scheduler', 'kube-scheduler'],
  ['kubelet', 'kubelet'],
  ['proxy', 'kube-proxy'],
  ['kube-proxy', 'kube-proxy'],
]);

const baseName = (word: string) => word.split('/').pop()!;

/**
 * The component a command line runs, among `known`: its program's base name (`/usr/local/bin/kube-apiserver`),
 * or hyperkube's subcommand, the word after it (`/hyperkube apiserver`, `hyperkube kube-apiserver`).
 * `words` is the command line from its program on; undefined when the program is neither.
 */
export function componentOfCommand(words: readonly string[], known: readonly Component[]): Component | undefined {
  const program = words[0] === undefined ? undefined : baseName(words[0]);
  if (!program) return undefined;
  if (program === 'hyperkube') {
    const sub = HYPERKUBE_SUBCOMMANDS.get(words[1] ?? '');
    return sub && known.includes(sub) ? sub : undefined;
  }
  return known.find((c) => c === program);
}
