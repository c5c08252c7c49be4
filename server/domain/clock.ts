/**
 * Time for the domain: what time it is and timers. Injected so that typing expiry, ring timeouts and rate
 * limits can be tested by moving a `ManualClock` instead of waiting.
 */

/** An opaque timer handle, only ever given back to the clock that made it. */
export type TimerHandle = { readonly timer: unknown };

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The ISO-8601 timestamp of `clock.now()`, as records store it. */
export function isoNow(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}

/** Real time. Timers are unref'd: a pending typing expiry never keeps the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return { timer };
  },
  clearTimeout(handle) {
    clearTimeout(handle.timer as NodeJS.Timeout);
  },
};

interface ManualTimer {
  at: number;
  order: number;
  callback: () => void;
}

/** A clock that moves only when told to; `advance` fires due timers in time order. For tests. */
export class ManualClock implements Clock {
  private current: number;
  private timers = new Set<ManualTimer>();
  private order = 0;

  constructor(start: number | string | Date = '2025-01-01T00:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer: ManualTimer = { at: this.current + Math.max(0, ms), order: this.order++, callback };
    this.timers.add(timer);
    return { timer };
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle.timer as ManualTimer);
  }

  /** Moves time forward by `ms`, running each timer that falls due at its own time. */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const due = [...this.timers]
        .filter((timer) => timer.at <= end)
        .sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (due === undefined) break;
      this.timers.delete(due);
      this.current = due.at;
      due.callback();
    }
    this.current = end;
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this.timers.size;
  }
}
