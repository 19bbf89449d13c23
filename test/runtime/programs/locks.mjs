// The same async-mutex contention from an ES module (async-mutex's ESM build).
import { Mutex } from "async-mutex";

const mutex = new Mutex();
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
await Promise.all(
  [1, 2].map(async () => {
    const release = await mutex.acquire(); // LOCK: esm mutex
    await pause(150);
    release();
  }),
);
console.log("ok");
