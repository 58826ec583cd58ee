// The fleet views' fan-out: a bounded number of services at once, each under its own deadline; a service
// that never answers costs one time limit and gets the fallback with the reason, the others their answers.
import { describe, expect, it } from 'vitest';
import { fanOut } from '../../../src/core/fleet/fanOut';
import { fact } from '../../../src/core/fleet/fact';
import { connectTimeoutMs, currentDeadline, deadlinePassed, onDeadline } from '../../../src/core/fleet/serverDeadline';

const never = new Promise<never>(() => undefined);

describe('fanOut', () => {
  it('never runs more than `concurrency` items at once, and keeps the order of the answers', async () => {
    let running = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const done = fanOut([1, 2, 3, 4, 5, 6, 7], { concurrency: 3, timeLimitMs: 60_000 }, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((r) => releases.push(r));
      running--;
      return n * 10;
    }, () => -1);
    // Release one waiting item at a time until all have run: at no time were more than three inside.
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      await new Promise((r) => setImmediate(r));
      releases.shift()?.();
    }
    expect(await done).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(most).toBe(3);
  });

  it('gives a service that never answers its fallback at the deadline, with the reason, and the others their answers', async () => {
    const out = await fanOut(['ok', 'hung', 'fails'], { concurrency: 4, timeLimitMs: 100 }, async (s) => {
      if (s === 'hung') return never;
      if (s === 'fails') throw Object.assign(new Error('password authentication failed'), { code: 'AUTH_FAILED' });
      return 'answered';
    }, (s, reason) => `fallback for ${s}: ${reason}`);
    expect(out).toEqual(['answered', 'fallback for hung: no answer within 100 ms', 'fallback for fails: password authentication failed (AUTH_FAILED)']);
  });

  it('makes a server read that honours the deadline unknown at it, while the repository\'s facts stay known', async () => {
    // What withPgClient does for a host that never answers: drop the socket when the view stops waiting.
    const hungRead = async () => {
      try {
        return await new Promise<never>((_, reject) => onDeadline(() => reject(new Error('Connection terminated unexpectedly'))));
      } catch (err) {
        throw deadlinePassed() ?? err;
      }
    };
    const [facts] = await fanOut(['svc'], { concurrency: 1, timeLimitMs: 80 }, async () => Promise.all([fact(() => 'from the repository'), fact(hungRead)]));
    expect(facts![0]).toEqual({ known: true, value: 'from the repository' });
    expect(facts![1]).toMatchObject({ known: false, reason: 'no answer within 80 ms (TIMEOUT)' });
  });

  it('hands the deadline to the code that connects: a shorter connect timeout, and a stop when it passes', async () => {
    let stopped = false;
    let timeout = 0;
    await fanOut(['svc'], { concurrency: 1, timeLimitMs: 60 }, async () => {
      timeout = connectTimeoutMs(10_000);
      onDeadline(() => (stopped = true));
      await new Promise((r) => currentDeadline()!.signal.addEventListener('abort', r));
    });
    expect(timeout).toBeGreaterThan(0);
    expect(timeout).toBeLessThanOrEqual(60 + 500);
    expect(stopped).toBe(true);
    expect(connectTimeoutMs(10_000)).toBe(10_000); // outside a fleet view nothing is shortened
  });
});
