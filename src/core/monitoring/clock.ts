// Time as the scheduler and the notifier see it: injected, so tests move a manual clock instead of sleeping.

export interface Clock {
  now(): number;
  /** Calls fn once after ms; the handle is for clear(). Timers never keep the process alive on their own. */
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    // setTimeout's limit is about 24.8 days; longer waits are re-armed by the caller's next tick.
    const timer = setTimeout(fn, Math.min(Math.max(ms, 0), 2 ** 31 - 1));
    timer.unref();
    return timer;
  },
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(resolve, ms));
}
