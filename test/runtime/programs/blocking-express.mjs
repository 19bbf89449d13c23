// An express app with one route that blocks the event loop (reads a file
// with readFileSync, over and over, for BLOCK_FOR_MS) and one that does not.
// The blocking route counts its own blocking requests by its own clock; the
// count is printed when stdin ends, after the server has closed.
import express from "express";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const blockForMs = Number(process.env.BLOCK_FOR_MS);
const thresholdMs = Number(process.env.ASYNC_LENS_BLOCK_MS);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "blocking-express-"));
const big = path.join(dir, "big.bin");
fs.writeFileSync(big, Buffer.alloc(4 * 1024 * 1024, 1));
let blocking = 0;

function readFor(ms) {
  const until = performance.now() + ms;
  let bytes = 0;
  while (performance.now() < until) bytes += fs.readFileSync(big).length; // BLOCK: read
  return bytes;
}

const app = express();
app.get("/block", (req, res) => { // ROUTE: block
  const started = performance.now();
  const bytes = readFor(blockForMs); // BLOCK: handler
  if (performance.now() - started > thresholdMs) blocking++;
  res.send(String(bytes));
}); // ROUTE: end
app.get("/", (req, res) => res.send("ok"));

const server = app.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
process.stdin.on("data", () => {});
process.stdin.on("end", () => {
  server.closeAllConnections();
  server.close(() => {
    fs.rmSync(dir, { recursive: true });
    console.log(`blocking requests ${blocking}`);
  });
});
