#!/usr/bin/env node
'use strict';
// The CLI lives in the bundle; `npm run build` (run by `npm ci` through `prepare`) makes it.
// Compiling the 1 MB bundle is a tenth of a short run: V8's code cache (module.enableCompileCache
// from Node 22.1, else vm.Script cachedData) keeps the compiled code under the user's cache
// folder. KUBE_PKI_COMPILE_CACHE=0 turns it off.
const { runCli } = loadBundle(require('node:path').join(__dirname, '../dist/cli.js'));
runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

function loadBundle(file) {
  const module = require('node:module');
  if (process.env.KUBE_PKI_COMPILE_CACHE === '0') return require(file);
  const path = require('node:path');
  const dir = path.join(process.env.XDG_CACHE_HOME || path.join(require('node:os').homedir(), '.cache'), 'kube-pki', 'compile-cache');
  if (typeof module.enableCompileCache === 'function') {
    module.enableCompileCache(dir);
    return require(file);
  }
  try {
    return loadWithCachedData(file, module, dir);
  } catch {
    return require(file);
  }
}

function loadWithCachedData(file, Module, dir) {
  const fs = require('node:fs');
  const path = require('node:path');
  const vm = require('node:vm');
  const source = fs.readFileSync(file, 'utf8');
  const stat = fs.statSync(file);
  // V8 itself rejects data made from another source or V8 version; the name only avoids thrashing between installs.
  const tag = require('node:crypto').createHash('sha256').update(`${file}\0${stat.size}\0${stat.mtimeMs}\0${process.version}\0${process.arch}`).digest('hex');
  const cacheFile = path.join(dir, `cli-${tag.slice(0, 16)}.bin`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const bundle = new Module(file, module);
  bundle.filename = file;
  bundle.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext()(bundle.exports, Module.createRequire(file), bundle, file, path.dirname(file));
  if (cachedData === undefined || script.cachedDataRejected) {
    // At exit, so that the functions this run compiled lazily are in the cache too.
    process.once('exit', () => {
      try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const temporary = `${cacheFile}.${process.pid}`;
        fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(temporary, cacheFile);
      } catch {
        // a read-only home: run without the cache
      }
    });
  }
  return bundle.exports;
}
