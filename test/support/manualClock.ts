// A clock that moves only when the test says so: timers fire in order as advance() passes their due time.
import type { Clock } from '../../src/core/monitoring/clock';

interface Timer {
  id: number;
  due: number;
  fn: () => void;
}

export class ManualClock implements Clock {
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  setTimer(fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, due: this.current + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by ms, firing each timer at its due time; `settle` runs after each (e.g. await idle). */
  async advance(ms: number, settle: () => Promise<void> = async () => undefined): Promise<void> {
    const end = this.current + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.due <= end).sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = Math.max(this.current, next.due);
      next.fn();
      await settle();
    }
    this.current = end;
    await settle();
  }

  /** Fires the earliest timer (moving time to it). */
  async fireNext(settle: () => Promise<void> = async () => undefined): Promise<boolean> {
    const next = [...this.timers].sort((a, b) => a.due - b.due || a.id - b.id)[0];
    if (!next) return false;
    await this.advance(next.due - this.current, settle);
    return true;
  }
}
