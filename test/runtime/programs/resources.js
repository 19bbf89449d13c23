// Timers, an fs request and a socket, for the opt-in async_hooks recording.
const fs = require("node:fs");
const net = require("node:net");

setTimeout(() => {
  fs.readFile(__filename, () => {
    const server = net.createServer((socket) => socket.end("hi"));
    server.listen(0, "127.0.0.1", () => {
      net.connect(server.address().port, "127.0.0.1").on("close", () => {
        server.close();
        console.log("ok");
      }).resume();
    });
  });
}, 5);
