// An ES module that blocks: its frames carry file URLs (or only script ids).
await new Promise((resolve) => setTimeout(resolve, 30));
const end = Date.now() + 250;
while (Date.now() < end) {} // BLOCK: esm busy
console.log("ok");
