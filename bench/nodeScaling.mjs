// How the cold `kube-pki check` grows with the number of kubeadm nodes (issue 19): the
// same tree as run.mjs's at 10, 100 and 1,000 nodes, each generated once and cached
// under tmpdir. BENCH_NODES_MAX caps the largest size (1,000 nodes take a minute or two
// to generate). Standalone: `node bench/nodeScaling.mjs` (after `npm run bench`'s build).
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTree } from './makeTree.mjs';

const repo = new URL('..', import.meta.url).pathname;
const SIZES = [10, 100, 1000];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median wall time (ms) of a cold `kube-pki check --format json` of `tree`. */
export function coldCheckMs(tree, rounds) {
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    spawnSync(process.execPath, [join(repo, 'bin/kube-pki.js'), 'check', tree, '--format', 'json'], { stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

/** Rows "cold check, N nodes" and the 1,000/100 growth factor (goal: linear, <= 11x). */
export async function nodeScalingRows(
  row,
  { rounds = 3, maxNodes = Number(process.env.BENCH_NODES_MAX ?? 1000), rootOf = (n) => join(tmpdir(), `kube-pki-bench-tree-${n}`) } = {},
) {
  const seconds = new Map();
  for (const nodes of SIZES.filter((n) => n <= maxNodes)) {
    const root = rootOf(nodes);
    const started = Date.now();
    await makeTree(root, { nodes });
    if (Date.now() - started > 1000) console.log(`(generated the ${nodes}-node tree under ${root} in ${((Date.now() - started) / 1000).toFixed(0)} s)`);
    seconds.set(nodes, coldCheckMs(join(root, 'clusters'), rounds) / 1000);
    row(`cold check, ${nodes} nodes (s)`, seconds.get(nodes), undefined, 's', nodes === 10 ? '(start-up bound)' : '');
  }
  if (seconds.has(1000) && seconds.has(100))
    row('growth: cold check 1,000 nodes / 100 nodes (x)', seconds.get(1000) / seconds.get(100), undefined, 'x', '<= 11x (linear)');
  else console.log(`(growth row skipped: BENCH_NODES_MAX=${maxNodes} < 1000)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const row = (name, value, _reference, unit, goal) => console.log(`${name.padEnd(48)} ${value.toFixed(2).padStart(10)} ${unit.padEnd(4)}   ${goal ?? ''}`);
  await nodeScalingRows(row, { rounds: Number(process.env.BENCH_ROUNDS ?? 3) });
}
