// The per-slot lock in the repository: exactly one winner among racing agents, no takeover before expiry,
// one takeover after it, and a finished slot never run again.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireRunLock, lockName, pruneLocks } from '../../../src/core/monitoring/runLock';
import { folderAt } from '../../support/folderStore';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const slot = Date.parse('2026-11-25T02:00:00Z');
const name = lockName('orders', 'logical', slot);
const T0 = Date.parse('2026-11-25T02:00:01Z');

describe('the run lock', () => {
  it('names the lock by service, job kind and scheduled time', () => {
    expect(name).toBe('orders.logical.20261125T020000Z.lock');
  });

  it('lets exactly one of twenty racing agents win, and records who holds it', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => acquireRunLock(folderAt(dir), name, { owner: `agent-${i}`, now: () => T0, ttlMs: 60_000, pid: 1000 + i, host: 'db-backup-1' })),
    );
    const winners = attempts.filter((a) => a.won);
    expect(winners).toHaveLength(1);
    const record = JSON.parse(await readFile(join(dir, name), 'utf8'));
    expect(record).toMatchObject({ owner: winners[0]!.won && winners[0]!.record.owner, host: 'db-backup-1', state: 'running', expiresAt: '2026-11-25T02:01:01.000Z' });
    for (const loser of attempts.filter((a) => !a.won)) expect(loser.won === false && loser.holder?.owner).toBe(record.owner);
  });

  it('does not take over a running lock before it expires, and takes it over once after', async () => {
    const first = await acquireRunLock(folderAt(dir), name, { owner: 'a', now: () => T0, ttlMs: 60_000 });
    expect(first.won).toBe(true);
    const early = await acquireRunLock(folderAt(dir), name, { owner: 'b', now: () => T0 + 59_000, ttlMs: 60_000 });
    expect(early).toMatchObject({ won: false, holder: { owner: 'a' } });
    const late = await Promise.all(['b', 'c', 'd'].map((owner) => acquireRunLock(folderAt(dir), name, { owner, now: () => T0 + 61_000, ttlMs: 60_000 })));
    expect(late.filter((a) => a.won)).toHaveLength(1);
    const owner = JSON.parse(await readFile(join(dir, name), 'utf8')).owner;
    expect(['b', 'c', 'd']).toContain(owner);
  });

  it('keeps a refreshed lock alive and never reruns a finished slot, however old', async () => {
    let now = T0;
    const held = await acquireRunLock(folderAt(dir), name, { owner: 'a', now: () => now, ttlMs: 60_000 });
    if (!held.won) throw new Error('expected to win');
    now += 50_000;
    await held.refresh();
    now += 50_000; // past the first expiry, inside the refreshed one
    expect((await acquireRunLock(folderAt(dir), name, { owner: 'b', now: () => now, ttlMs: 60_000 })).won).toBe(false);
    await held.finish('succeeded');
    now += 365 * 86_400_000;
    expect(await acquireRunLock(folderAt(dir), name, { owner: 'b', now: () => now, ttlMs: 60_000 })).toMatchObject({ won: false, holder: { owner: 'a', state: 'done', outcome: 'succeeded' } });
  });

  it('treats a lock file being written (unreadable) as held, never as stale', async () => {
    await writeFile(join(dir, name), '{"owner":"a","ho');
    expect((await acquireRunLock(folderAt(dir), name, { owner: 'b', now: () => T0 + 10 * 86_400_000, ttlMs: 1 })).won).toBe(false);
  });

  it('prunes finished records older than the keep period, and nothing running', async () => {
    const a = await acquireRunLock(folderAt(dir), lockName('orders', 'logical', slot), { owner: 'a', now: () => T0, ttlMs: 60_000 });
    await acquireRunLock(folderAt(dir), lockName('orders', 'verify', slot), { owner: 'a', now: () => T0, ttlMs: 60_000 });
    if (a.won) await a.finish('succeeded');
    expect(await pruneLocks(folderAt(dir), 86_400_000, T0 + 2 * 86_400_000)).toBe(1);
  });
});
