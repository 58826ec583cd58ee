// The last answer each service gave, kept across runs: recalled when the service does not answer, dropped
// with the service when it leaves the fleet, and a damaged file only loses the cache.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LastKnownFacts } from '../../../src/core/fleet/lastKnownFacts';

describe('LastKnownFacts', () => {
  it('recalls in a later run what an earlier one learned, and forgets services that left the fleet', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-lastknown-'));
    const first = LastKnownFacts.inDataDir(dir);
    await first.load();
    first.remember('orders', 'replication', 'healthy: 1 of 1 standby streaming', '2026-12-07T01:00:00.000Z');
    first.remember('billing', 'window', 'recoverable up to 2026-12-07 00:59:00Z', '2026-12-07T01:00:00.000Z');
    await first.save(['orders', 'billing']);

    const second = LastKnownFacts.inDataDir(dir);
    await second.load();
    expect(second.recall('orders', 'replication')).toEqual({ text: 'healthy: 1 of 1 standby streaming', at: '2026-12-07T01:00:00.000Z' });
    expect(second.recall('orders', 'window')).toBeUndefined();
    await second.save(['orders']);
    const stored = JSON.parse(await readFile(join(dir, 'state', 'last-known.json'), 'utf8'));
    expect(Object.keys(stored.services)).toEqual(['orders']);
    expect(second.recall('__proto__', 'replication')).toBeUndefined();
  });

  it('starts empty from a damaged file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-lastknown-'));
    const first = LastKnownFacts.inDataDir(dir);
    await first.load();
    first.remember('orders', 'drills', 'never drilled', '2026-12-07T01:00:00.000Z');
    await first.save(['orders']);
    await writeFile(join(dir, 'state', 'last-known.json'), '{"orders": ');
    const again = LastKnownFacts.inDataDir(dir);
    await again.load();
    expect(again.recall('orders', 'drills')).toBeUndefined();
  });

  it('asks first, next time, the services whose servers did not answer in time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-lastknown-'));
    const first = LastKnownFacts.inDataDir(dir);
    await first.load();
    first.noteTimedOut('stuck', '2026-12-07T01:00:00.000Z');
    first.noteTimedOut('orders', undefined);
    await first.save(['orders', 'billing', 'stuck']);
    const next = LastKnownFacts.inDataDir(dir);
    await next.load();
    expect(next.slowestFirst([{ id: 'orders' }, { id: 'billing' }, { id: 'stuck' }]).map((s) => s.id)).toEqual(['stuck', 'orders', 'billing']);
    next.noteTimedOut('stuck', undefined); // it answered this time
    expect(next.slowestFirst([{ id: 'orders' }, { id: 'stuck' }]).map((s) => s.id)).toEqual(['orders', 'stuck']);
  });
});
