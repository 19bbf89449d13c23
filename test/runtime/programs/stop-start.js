// Starts and stops the runtime programmatically around some work.
const { start, stop, isRunning } = require("async-lens");

async function main() {
  const started = start({ traceFile: process.argv[2], sampleEvery: 1 });
  await Promise.all([1, 2, 3].map((n) => new Promise((resolve) => setTimeout(resolve, n))));
  await stop();
  await Promise.resolve("after stop");
  console.log(`started ${started} running ${isRunning()}`);
}
main();
