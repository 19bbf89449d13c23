// Writes to both streams, sets an exit code, and leaves an unhandled rejection
// behind: all of it must look the same with the runtime loaded.
process.stdout.write("out 1\n");
console.error("err 1");
setTimeout(() => {
  console.log("out 2");
  process.exitCode = Number(process.argv[2] ?? 0);
  if (process.argv[3] === "reject") Promise.reject(new Error("left unhandled"));
  if (process.argv[3] === "throw") throw new Error("thrown at top level");
}, 20);
