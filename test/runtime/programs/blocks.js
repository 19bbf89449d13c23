// Three ways to block the event loop, each on its own marked line, with
// turns of the loop in between so they are three separate blocks.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execSync } = require("node:child_process");

function busy(ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {} // BLOCK: busy
}

async function main() {
  const big = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "blocks-")), "big.bin");
  await fs.promises.writeFile(big, Buffer.alloc(16 * 1024 * 1024, 1));
  await new Promise((resolve) => setTimeout(resolve, 30));

  const until = Date.now() + 250;
  while (Date.now() < until) fs.readFileSync(big); // BLOCK: readFileSync
  await new Promise((resolve) => setTimeout(resolve, 30));

  execSync("sleep 0.3"); // BLOCK: execSync
  await new Promise((resolve) => setTimeout(resolve, 30));

  busy(250);
  fs.rmSync(path.dirname(big), { recursive: true });
  console.log("ok");
}

main();
