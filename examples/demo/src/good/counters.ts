// Silent: short critical sections, released on every path.
import { Mutex } from "async-mutex";

export class Counters {
  private readonly mutex = new Mutex();
  private readonly counts = new Map<string, number>();

  async increment(key: string): Promise<number> {
    return this.mutex.runExclusive(() => {
      const next = (this.counts.get(key) ?? 0) + 1;
      this.counts.set(key, next);
      return next;
    });
  }

  async flush(write: (counts: Map<string, number>) => Promise<void>): Promise<void> {
    const release = await this.mutex.acquire();
    try {
      const snapshot = new Map(this.counts);
      this.counts.clear();
      await write(snapshot);
    } finally {
      release();
    }
  }
}
