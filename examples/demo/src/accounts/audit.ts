import { accountsLock, ledgerLock } from "./locks";

export async function audit(readLedger: () => Promise<void>, readAccounts: () => Promise<void>): Promise<void> {
  const release = await ledgerLock.acquire();
  try {
    await readLedger();
    await accountsLock.runExclusive(readAccounts);
  } finally {
    release();
  }
}
