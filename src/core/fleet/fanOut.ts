// Asks every service of a fleet-wide view at once, a bounded number at a time, each under its own deadline:
// the view is ready when the slowest *answering* service is, never later than one time limit per wave.
import pLimit from 'p-limit';
import { noAnswerWithin, withDeadline } from './serverDeadline';

export interface FanOutOptions {
  /** Services asked at the same time. */
  concurrency: number;
  /** How long one service may take; its work sees the deadline through serverDeadline.ts. */
  timeLimitMs: number;
  signal?: AbortSignal;
}

/**
 * Runs `work` for each item under its own deadline. With `fallback`, an item whose work has not settled
 * one time limit after its deadline (work that ignores the deadline), or whose work throws, gets
 * `fallback(item, reason)` instead; without it, the work is trusted (its server reads end at the deadline)
 * and an error rejects the whole fan-out.
 */
export async function fanOut<T, R>(items: readonly T[], options: FanOutOptions, work: (item: T) => Promise<R>, fallback?: (item: T, reason: string) => R): Promise<R[]> {
  const limit = pLimit(Math.max(1, options.concurrency));
  // Server reads fail at the deadline by themselves (serverDeadline.ts); the item as a whole is given up
  // only one more time limit later, for work that ignores the deadline.
  const graceMs = options.timeLimitMs;
  return Promise.all(
    items.map((item) =>
      limit(() =>
        withDeadline(options.timeLimitMs, options.signal, (deadline) => {
          if (!fallback) return work(item);
          let timer: NodeJS.Timeout | undefined;
          const givenUp = new Promise<R>((resolve) => {
            timer = setTimeout(() => resolve(fallback(item, noAnswerWithin(options.timeLimitMs))), Math.max(0, deadline.at - Date.now()) + graceMs);
          });
          const done = work(item).catch((err: unknown) => fallback(item, reasonOf(err)));
          return Promise.race([done, givenUp]).finally(() => clearTimeout(timer));
        }),
      ),
    ),
  );
}

/** One line a view can show: the message, with the error code when there is one. */
export function reasonOf(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = (e?.message ?? String(err)).split('\n')[0]!;
  return e?.code && /^[A-Z_]+$/.test(e.code) ? `${message} (${e.code})` : message;
}
