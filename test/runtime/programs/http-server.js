// A node:http server: each request awaits a timer and a leaked promise
// (created, never settled) so the never-settled check has something to find;
// /slow answers late enough for a client to give up first.
const http = require("node:http");

const leaks = [];
const server = http.createServer(async (req, res) => {
  await new Promise((resolve) => setTimeout(resolve, req.url === "/slow" ? 500 : 5));
  if (req.url === "/leak") leaks.push(new Promise(() => {})); // LEAK
  res.end(`hello ${req.url}\n`);
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
process.on("SIGTERM", () => server.close());
process.stdin.on("data", () => {});
process.stdin.on("end", () => server.close());
