// `npm start`: the main job on the bundled example cluster. The example carries
// deliberate mistakes, so findings (exit 1) are the expected outcome here;
// a usage or I/O error (exit 2) still fails.
import { spawnSync } from 'node:child_process';

const example = 'examples/cluster';
console.log(`$ kube-pki check ${example}\n`);
const run = spawnSync(process.execPath, ['bin/kube-pki.js', 'check', example], { stdio: 'inherit' });
if (run.status === 1) console.log(`\n(${example} carries five deliberate mistakes: see ${example}/README.md)`);
process.exit(run.status === 0 || run.status === 1 ? 0 : (run.status ?? 2));
