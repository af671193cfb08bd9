// Preloaded into every node process of a measured command (NODE_OPTIONS=--require):
// appends the process's peak resident set, in KiB, to BENCH_RSS_FILE at exit.
process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) {
    require('fs').appendFileSync(process.env.BENCH_RSS_FILE, `${process.resourceUsage().maxRSS}\n`);
  }
});
