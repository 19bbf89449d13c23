// Writes to a slow stream on a timer without ever waiting for 'drain': its
// buffer grows for as long as the program runs.
const { Writable } = require("node:stream");

class SlowSink extends Writable {
  _write(chunk, encoding, callback) {
    setTimeout(callback, 10);
  }
}

const sink = new SlowSink({ highWaterMark: 1024 });
const chunk = Buffer.alloc(512);
const writer = setInterval(() => sink.write(chunk), 2);
process.stdin.on("data", () => {});
process.stdin.on("end", () => {
  clearInterval(writer);
  sink.destroy();
  console.log("ok");
});
