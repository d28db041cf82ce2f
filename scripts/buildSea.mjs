// `npm run sea`: one file that runs the CLI on a machine without Node.js (a
// node, a CI image), built with Node's single executable applications: the
// CLI bundle (dist/cli.js, made by build.mjs) is injected as a blob into a copy
// of the node binary that runs this script. linux-x64 only: that is what nodes
// run and what we can test here.
//   node scripts/buildSea.mjs [--out FILE]      (default dist/kube-pki-linux-x64)
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
// The sentinel Node's SEA loader looks for; a build that lacks it cannot carry a blob.
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function fail(message) {
  console.error(`buildSea: ${message}`);
  process.exit(2);
}

const outIndex = process.argv.indexOf('--out');
const out = resolve(outIndex > 0 ? process.argv[outIndex + 1] : join(root, 'dist', 'kube-pki-linux-x64'));
if (process.platform !== 'linux' || process.arch !== 'x64')
  fail(`single executables are built for linux-x64 only, this is ${process.platform}-${process.arch}`);
if (!existsSync(join(root, 'dist', 'cli.js'))) fail('dist/cli.js is missing: run `npm run build` first');
if (!readFileSync(process.execPath).includes(FUSE))
  fail(`${process.execPath} was built without single-executable support: run this with an official Node.js build`);

const work = mkdtempSync(join(tmpdir(), 'kube-pki-sea-'));
try {
  // The SEA's main script can require only built-in modules: bundle the entry with the CLI bundle inlined.
  const main = join(work, 'main.js');
  await build({
    stdin: {
      contents: "require('./dist/cli.js').runCli(process.argv.slice(2)).then((code) => { process.exitCode = code; });",
      resolveDir: root,
      loader: 'js',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: main,
    logLevel: 'warning',
  });
  const blob = join(work, 'sea.blob');
  writeFileSync(join(work, 'sea-config.json'), JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true }));
  execFileSync(process.execPath, ['--experimental-sea-config', join(work, 'sea-config.json')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const staged = join(work, 'kube-pki');
  copyFileSync(process.execPath, staged);
  chmodSync(staged, 0o755);
  const { inject } = require('postject');
  await inject(staged, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: FUSE });
  copyFileSync(staged, out);
  chmodSync(out, 0o755);
  console.log(`buildSea: wrote ${out} (${Math.round(readFileSync(out).length / 1e6)} MB, Node ${process.version})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
