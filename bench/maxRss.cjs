// Preloaded into a measured process (node --require): writes its peak RSS in KB to $KUBE_PKI_BENCH_RSS_FILE on exit.
const { writeFileSync } = require('node:fs');
process.on('exit', () => writeFileSync(process.env.KUBE_PKI_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));
