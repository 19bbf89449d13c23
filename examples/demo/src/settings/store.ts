// lock-reentry: set() holds the mutex and calls save(), which asks for the same
// mutex again. async-mutex is not reentrant, so the first set() never returns.
import { Mutex } from "async-mutex";

export class SettingsStore {
  private readonly mutex = new Mutex();
  private values: Record<string, string> = {};

  constructor(private readonly persist: (values: Record<string, string>) => Promise<void>) {}

  async save(): Promise<void> {
    await this.mutex.runExclusive(async () => {
      await this.persist(this.values);
    });
  }

  async set(key: string, value: string): Promise<void> {
    await this.mutex.runExclusive(async () => {
      this.values = { ...this.values, [key]: value };
      await this.save();
    });
  }
}
