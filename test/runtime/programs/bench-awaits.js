// 1e6 awaits of an async function; prints the CPU time of the loop in ms.
// The loop starts once the process has settled (1 s), so one-time start costs
// (a runtime's worker threads booting, measured apart) are not billed to it.
const count = Number(process.argv[2] ?? 1e6);

async function step(i) {
  return i;
}

async function main() {
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.SETTLE_MS ?? 1000)));
  const before = process.cpuUsage();
  let sum = 0;
  for (let i = 0; i < count; i++) sum += await step(i);
  const { user, system } = process.cpuUsage(before);
  console.log(JSON.stringify({ cpuMs: (user + system) / 1000, sum }));
}

main();
