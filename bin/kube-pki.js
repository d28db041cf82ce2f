#!/usr/bin/env node
'use strict';
// The CLI lives in the bundle; `npm run build` (run by `npm ci` through `prepare`) makes it.
const { runCli } = require('../dist/cli.js');
runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
