// Lock contention through async-mutex (Mutex, Semaphore, withTimeout) and
// async-lock: three workers queue on each lock and hold it across an await.
const { Mutex, Semaphore, withTimeout } = require("async-mutex");
const AsyncLock = require("async-lock");

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const mutex = new Mutex();
  await Promise.all(
    [1, 2, 3].map((n) =>
      mutex.runExclusive(async () => { // LOCK: mutex
        await pause(150);
        return n;
      }),
    ),
  );

  const semaphore = new Semaphore(1);
  const [, release] = await semaphore.acquire(); // LOCK: semaphore
  await pause(150);
  release();

  const timed = withTimeout(new Mutex(), 1000);
  const releaseTimed = await timed.acquire(); // LOCK: withTimeout
  releaseTimed();

  const lock = new AsyncLock();
  await Promise.all([1, 2].map(() => lock.acquire("accounts", () => pause(150)))); // LOCK: async-lock
  console.log("ok");
}

main();
