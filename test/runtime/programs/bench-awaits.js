// 1e6 awaits of an async function; prints the CPU time of the loop in ms.
const count = Number(process.argv[2] ?? 1e6);

async function step(i) {
  return i;
}

async function main() {
  const before = process.cpuUsage();
  let sum = 0;
  for (let i = 0; i < count; i++) sum += await step(i);
  const { user, system } = process.cpuUsage(before);
  console.log(JSON.stringify({ cpuMs: (user + system) / 1000, sum }));
}

main();
