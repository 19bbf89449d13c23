// Lock recording shared by the library adapters and the resource() API. Every
// wait gets a holder number that follows it through acquire and release.
import type { Recorder } from "./recorder";

const lockIds = new WeakMap<object, number>();
let nextLock = 1;

/** The id of the lock `owner` stands for, declaring it on first sight. */
export function lockId(rec: Recorder, owner: object, source: string, name: (id: number) => string): number {
  let id = lockIds.get(owner);
  if (id === undefined) {
    id = nextLock++;
    lockIds.set(owner, id);
    rec.write.lockDecl(id, rec.intern(source), rec.now(), rec.intern(name(id)));
  }
  return id;
}

/** Records a wait starting now and returns its holder number. */
export function lockWait(rec: Recorder, lock: number, skipPackage?: string): number {
  const holder = rec.newTaskId();
  const site = rec.rawSite(skipPackage);
  rec.write.lock("wait", lock, holder, rec.now(), rec.current, site === undefined ? 0 : rec.intern(site));
  return holder;
}

export function lockAcquired(rec: Recorder, lock: number, holder: number): void {
  rec.write.lock("acquire", lock, holder, rec.now(), rec.current, 0);
}

export function lockReleased(rec: Recorder, lock: number, holder: number): void {
  rec.write.lock("release", lock, holder, rec.now(), rec.current, 0);
}
