// Hello-world HTTP server for the runtime benchmark; reports its own CPU time
// on request so the benchmark can compute CPU per request.
const http = require("node:http");

const server = http.createServer(async (req, res) => {
  if (req.url === "/cpu") {
    const { user, system } = process.cpuUsage();
    res.end(String(user + system));
    return;
  }
  await Promise.resolve();
  res.end("hello world");
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
process.stdin.on("data", () => {});
process.stdin.on("end", () => server.close());
