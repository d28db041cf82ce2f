// Preloaded (`node --require`) into a spawned CLI: prints the process's CPU time at exit on stderr,
// so a cost test compares what the command used, not how long it waited for a core.
process.on('exit', () => {
  const used = process.cpuUsage();
  process.stderr.write(`\nkube-pki-cpu-ms ${(used.user + used.system) / 1e3}\n`);
});
