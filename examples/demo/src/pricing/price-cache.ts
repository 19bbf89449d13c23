// lock-across-await: the mutex that protects the price map stays held while
// the change is reported over the network, so every lookup, even a cache hit,
// waits for that request. The map is updated before the request: the request
// does not need the lock.
import { Mutex } from "async-mutex";

export class PriceCache {
  private readonly mutex = new Mutex();
  private readonly prices = new Map<string, number>();

  constructor(private readonly auditEndpoint: string) {}

  async setPrice(sku: string, price: number): Promise<void> {
    await this.mutex.runExclusive(async () => {
      this.prices.set(sku, price);
      await fetch(this.auditEndpoint, { method: "POST", body: JSON.stringify({ sku, price }) });
    });
  }

  async price(sku: string): Promise<number | undefined> {
    return this.mutex.runExclusive(() => this.prices.get(sku));
  }
}
