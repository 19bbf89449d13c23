// lock-order (with audit.ts): a transfer takes the accounts lock, then the
// ledger lock; the audit takes them the other way round. Run both at once and
// each can end up holding one lock while waiting for the other.
import { accountsLock, ledgerLock } from "./locks";

export async function transfer(move: () => Promise<void>, record: () => Promise<void>): Promise<void> {
  await accountsLock.runExclusive(async () => {
    await move();
    await ledgerLock.runExclusive(record);
  });
}
