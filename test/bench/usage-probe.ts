// Preloaded (`node -r`) into every process the benchmark measures: at exit it
// writes the process's peak resident set size and CPU time to the file the
// benchmark names. Node cannot read a child's rusage, and this needs no
// external `time` binary.
import * as fs from "node:fs";

const target = process.env.ASYNC_LENS_BENCH_USAGE_FILE;
if (target !== undefined) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    fs.writeFileSync(target, JSON.stringify({ maxRssKb: usage.maxRSS, cpuMicros: usage.userCPUTime + usage.systemCPUTime }));
  });
}
