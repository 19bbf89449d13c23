// A small program for the Task Inspector's tests: nested async work, a task
// whose name is markup, and one block of the event loop on a marked line.
const { AsyncResource } = require("node:async_hooks");

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function step(i) {
  await pause(2); // STEP
  return i;
}

async function worker(rounds) {
  let sum = 0;
  for (let i = 0; i < rounds; i++) sum += await step(i);
  return sum;
}

function busy(ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {} // BLOCK: busy
}

async function main() {
  // Task names come from the program; this one must show as text, never as markup.
  const hostile = new AsyncResource("<img src=x onerror=alert(1)>");
  hostile.runInAsyncScope(() => undefined);
  await Promise.all([worker(3), worker(5)]);
  await pause(20);
  busy(200);
  await pause(20);
  console.log("ok");
}

main();
