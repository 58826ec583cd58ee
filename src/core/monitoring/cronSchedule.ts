// One cron expression in one time zone, through croner: next and previous runs, DST handled by croner
// (a time skipped by the spring change runs at the first valid time after it; a repeated time runs once).
import { Cron } from 'croner';

export class CronSchedule {
  private readonly cron: Cron;

  constructor(
    readonly expression: string,
    readonly timeZone: string,
  ) {
    // 5 fields (minute first) or 6 (seconds first); paused: croner only computes, Lifeboat's clock decides.
    this.cron = new Cron(expression, { timezone: timeZone, paused: true, mode: '5-or-6-parts' });
  }

  /** The first run strictly after `after`. */
  nextAfter(after: number): number | undefined {
    return this.cron.nextRun(new Date(after))?.getTime();
  }

  /** Runs in (from, to], oldest first, at most `limit` (the count stops there). */
  runsBetween(from: number, to: number, limit = 1000): number[] {
    const runs: number[] = [];
    let cursor = from;
    while (runs.length < limit) {
      const next = this.nextAfter(cursor);
      if (next === undefined || next > to) break;
      runs.push(next);
      cursor = next;
    }
    return runs;
  }
}
