// Keeps doing small async work until stdin ends: something to trace while a
// test attaches viewers, kills the process, or sends it garbage.
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let running = true;
let rounds = 0;
async function work() {
  while (running) {
    await Promise.all([pause(1), pause(2), Promise.resolve(rounds)]);
    rounds++;
    if (rounds === 20) console.log("working");
  }
  console.log(`done ${rounds > 0}`);
}
work();
process.stdin.on("data", () => {});
process.stdin.on("end", () => (running = false));
