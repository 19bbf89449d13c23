// An HTTP server with the mistake Async Lens exists to find: one request
// handler reads a large file synchronously and stalls every other request.
// The rest is ordinary async work: a cache guarded by a mutex, a timer.
// Prints "listening PORT"; GET /quit closes it (it runs from the editor too,
// where its stdin is not ours to end).
const fs = require("node:fs");
const http = require("node:http");
const os = require("node:os");
const path = require("node:path");
const { Mutex } = require("async-mutex");

const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "blocking-server-")), "report.bin");
fs.writeFileSync(report, Buffer.alloc(16 * 1024 * 1024, 1));
const cacheLock = new Mutex();
const cache = new Map();

async function lookup(key) {
  return cacheLock.runExclusive(async () => {
    if (!cache.has(key)) cache.set(key, await new Promise((resolve) => setTimeout(() => resolve(key.length), 3)));
    return cache.get(key);
  });
}

function readReport() {
  // Reads the report again and again for 120 ms: a slow disk, made reproducible.
  const until = Date.now() + 120;
  let bytes = 0;
  while (Date.now() < until) bytes += fs.readFileSync(report).length; // BLOCK: readFileSync
  return bytes;
}

async function handle(request, response) {
  if (request.url === "/quit") {
    response.end("bye");
    server.close();
    fs.rmSync(path.dirname(report), { recursive: true, force: true });
    return;
  }
  if (request.url === "/report") {
    response.end(String(readReport()));
    return;
  }
  response.end(String(await lookup(request.url)));
}

const server = http.createServer((request, response) => void handle(request, response));
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
