// p-queue, p-limit and a queue and lock of the program's own through resource().
import PQueue from "p-queue";
import pLimit from "p-limit";
import { resource } from "async-lens";

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const queue = new PQueue({ concurrency: 1 });
for (let i = 0; i < 5; i++) queue.add(() => pause(150));
const limit = pLimit(1);
const limited = [1, 2, 3, 4, 5].map(() => limit(() => pause(150)));

const jobs = resource("queue", "jobs", { capacity: 2 });
for (let depth = 1; depth <= 4; depth++) jobs.depth(depth, 1);
const pool = resource("lock", "db-pool");
const wait = pool.wait();
await pause(20);
wait.acquired();
await pause(20);
wait.released();

await Promise.all([queue.onIdle(), ...limited]);
console.log("ok");
