/**
 * The cluster's clock: one place that says what time it is and runs timers, shared by every state
 * domain (the group coordinator's session and rebalance timeouts, the produce path's timestamp checks
 * and LogAppendTime). A test hands startEmulator a ManualClock and moves time itself instead of sleeping.
 */

export interface Timer {
  cancel(): void;
}

/** The only way the emulator's state reads or waits on time. */
export interface Clock {
  now(): number;
  schedule(delayMs: number, fire: () => void): Timer;
}

/** Real time; timers are unref'd so a forgotten group or wait never keeps a process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(delayMs, fire) {
    const handle = setTimeout(fire, delayMs);
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  },
};

/** A clock that moves only when told to: tests step through session and rebalance timeouts, and
 * produce against a broker clock they chose (message.timestamp.*.max.ms). */
export class ManualClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; seq: number; fire: () => void }>();

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, fire: () => void): Timer {
    const seq = ++this.seq;
    this.pending.set(seq, { at: this.time + Math.max(0, delayMs), seq, fire });
    return { cancel: () => this.pending.delete(seq) };
  }

  /** Moves time forward, firing due timers in deadline order (timers set while firing count too). */
  advance(ms: number): void {
    const target = this.time + ms;
    for (let guard = 0; guard < 1_000_000; guard++) {
      let next: { at: number; seq: number; fire: () => void } | undefined;
      for (const t of this.pending.values()) {
        if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      }
      if (!next) break;
      this.pending.delete(next.seq);
      this.time = next.at;
      next.fire();
    }
    this.time = target;
  }

  /** Timers not yet fired or cancelled. */
  get scheduled(): number {
    return this.pending.size;
  }
}
