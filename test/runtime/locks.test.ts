import * as assert from "node:assert/strict";
import * as path from "node:path";
import type { LockEvent } from "../../runtime/src/protocol";
import { EVERY_ROOT, PROGRAMS, events, lineOf, runTraced } from "./helpers";

const thresholds = { ...EVERY_ROOT, ASYNC_LENS_LOCK_WAIT_MS: "100", ASYNC_LENS_LOCK_HOLD_MS: "100" };

/** wait → acquire → release sequences per holder, in order. */
function sequences(lockEvents: LockEvent[]): Map<number, string[]> {
  const byHolder = new Map<number, string[]>();
  for (const e of lockEvents) byHolder.set(e.holder, [...(byHolder.get(e.holder) ?? []), e.op]);
  return byHolder;
}

describe("runtime: locks", function () {
  this.timeout(30_000);

  it("records async-mutex and async-lock waits, acquires, releases and holders (CommonJS)", async () => {
    const result = await runTraced("locks.js", thresholds);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "ok\n");
    const locks = events(result.trace, "lock");
    const bySource = (source: string) => locks.filter((e) => e.source === source);

    const mutex = bySource("async-mutex").filter((e) => e.name.startsWith("Mutex#"));
    const mutexNames = [...new Set(mutex.map((e) => e.name))];
    assert.equal(mutexNames.length, 2, `mutexes: ${mutexNames}`);
    const contended = mutex.filter((e) => e.name === mutexNames[0]);
    const holders = sequences(contended);
    assert.equal(holders.size, 3);
    for (const ops of holders.values()) assert.deepEqual(ops, ["wait", "acquire", "release"]);
    const waits = contended.filter((e) => e.op === "wait");
    assert.deepEqual(
      waits.map((w) => w.site?.line),
      [1, 2, 3].map(() => lineOf("locks.js", "LOCK: mutex")),
    );
    assert.equal(waits[0].site?.file, path.join(PROGRAMS, "locks.js"));
    // Holds do not overlap: each acquire comes after the previous release.
    const order = contended.filter((e) => e.op !== "wait").map((e) => e.op);
    assert.deepEqual(order, ["acquire", "release", "acquire", "release", "acquire", "release"]);

    const semaphore = bySource("async-mutex").filter((e) => e.name.startsWith("Semaphore#"));
    assert.deepEqual(
      semaphore.map((e) => e.op),
      ["wait", "acquire", "release"],
    );
    assert.equal(semaphore[0].site?.line, lineOf("locks.js", "LOCK: semaphore"));
    assert.equal(mutex.filter((e) => e.name === mutexNames[1])[0].site?.line, lineOf("locks.js", "LOCK: withTimeout"));

    const asyncLock = bySource("async-lock");
    assert.ok(asyncLock.every((e) => e.name === "async-lock:accounts"));
    assert.equal(sequences(asyncLock).size, 2);
    for (const ops of sequences(asyncLock).values()) assert.deepEqual(ops, ["wait", "acquire", "release"]);

    const checks = events(result.trace, "warning").map((w) => w.check);
    assert.ok(checks.includes("lock-wait"), checks.join());
    assert.ok(checks.includes("lock-held-across-await"), checks.join());
  });

  it("records async-mutex imported from an ES module", async () => {
    const result = await runTraced("locks.mjs", thresholds);
    assert.equal(result.code, 0, result.stderr);
    const locks = events(result.trace, "lock");
    assert.equal(sequences(locks).size, 2);
    assert.deepEqual(
      locks.filter((e) => e.op === "wait").map((e) => e.site?.line),
      [lineOf("locks.mjs", "LOCK: esm mutex"), lineOf("locks.mjs", "LOCK: esm mutex")],
    );
    assert.ok(events(result.trace, "warning").some((w) => w.check === "lock-wait"));
  });
});
