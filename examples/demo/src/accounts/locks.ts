import { Mutex } from "async-mutex";

export const accountsLock = new Mutex();
export const ledgerLock = new Mutex();
