/**
 * Event-driven waits for tests: `until(what, check)` re-checks its condition whenever something calls
 * `poke()` (an emulator hook, a client callback), and fails after a timeout instead of sleeping.
 */

const waiters = new Set<() => void>();

/** Re-checks every pending `until` condition. */
export function poke(): void {
  for (const w of [...waiters]) w();
}

/** Resolves once `check()` is true; rejects when it throws or after `timeoutMs`. */
export function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiters.delete(tryIt);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    function tryIt() {
      let ok = false;
      try {
        ok = check();
      } catch (err) {
        clearTimeout(timer);
        waiters.delete(tryIt);
        reject(err);
        return;
      }
      if (!ok) return;
      clearTimeout(timer);
      waiters.delete(tryIt);
      resolve();
    }
    waiters.add(tryIt);
    tryIt();
  });
}
