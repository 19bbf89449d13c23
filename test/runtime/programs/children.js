// Starts a child process and a worker thread, each of which blocks once, so
// each must appear in the trace as its own process with its own block.
const { spawn } = require("node:child_process");
const { Worker } = require("node:worker_threads");
const path = require("node:path");

const worker = new Worker(path.join(__dirname, "block-briefly.js"));
worker.on("exit", () => {
  const child = spawn(process.execPath, [path.join(__dirname, "block-briefly.js")], { stdio: "inherit" });
  child.on("exit", (code) => console.log(`child exited ${code}`));
});
