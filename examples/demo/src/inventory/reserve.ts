// lock-not-released: the early return for an unknown SKU leaves the lock held,
// and so does a throw from persist(): the next reservation waits forever.
import { Mutex } from "async-mutex";

const stockLock = new Mutex();
const stock = new Map<string, number>();

export async function reserve(sku: string, quantity: number, persist: (sku: string, left: number) => Promise<void>): Promise<boolean> {
  const release = await stockLock.acquire();
  const available = stock.get(sku);
  if (available === undefined || available < quantity) return false;
  stock.set(sku, available - quantity);
  await persist(sku, available - quantity);
  release();
  return true;
}
