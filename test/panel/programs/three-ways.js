// Runs inspected.js in a worker thread, then in a child process: one trace,
// three processes for the Task Inspector's process picker, each with tasks.
const { fork } = require("node:child_process");
const { Worker } = require("node:worker_threads");
const path = require("node:path");

const program = path.join(__dirname, "inspected.js");
new Worker(program).on("exit", () => {
  fork(program).on("exit", (code) => console.log(`child exited ${code}`));
});
