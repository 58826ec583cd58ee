import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FleetFile } from '../../src/core/inventory/fleetFile';
import { watchFleetFile, type FleetFileWatcher } from '../../src/core/inventory/fleetFileWatcher';
import type { WireError } from '../../src/shared/errors';

const FLEET = `version: 1
services:
  - id: orders
    name: Orders
    engine: postgres
    connection: { host: db1, port: 5432, database: orders, user: backup, password: { kind: none } }
    policy:
      rpo: 15m
`;

let watcher: FleetFileWatcher | undefined;
afterEach(() => watcher?.stop());

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-watch-'));
  const path = join(dir, 'fleet.yaml');
  await writeFile(path, FLEET);
  const fleet = await FleetFile.load(path);
  const applied: string[][] = [];
  const rejected: WireError[] = [];
  // Long timers: the test looks at the file itself, with check().
  watcher = watchFleetFile(fleet, { onApplied: (ids) => applied.push(ids), onRejected: (e) => rejected.push(e), debounceMs: 60_000, statIntervalMs: 60_000 });
  const replace = async (text: string) => {
    await writeFile(join(dir, 'next.yaml'), text);
    await rename(join(dir, 'next.yaml'), path);
  };
  return { dir, path, fleet, applied, rejected, replace, check: () => watcher!.check() };
}

describe('following edits of the fleet file', () => {
  it('applies an edit in place and names the services it changed; an unchanged file is no edit', async () => {
    const { fleet, applied, replace, check } = await setup();
    await check();
    expect(applied).toEqual([]);
    await replace(FLEET.replace('rpo: 15m', 'rpo: 5m') + `  - id: billing\n    name: Billing\n    engine: postgres\n    connection: { host: db2, port: 5432, database: billing, user: backup, password: { kind: none } }\n`);
    await check();
    expect(applied).toEqual([['orders', 'billing']]);
    expect(fleet.get('orders')!.policy.rpo).toBe('5m');
    expect(fleet.list().map((s) => s.id)).toEqual(['orders', 'billing']);
    await check();
    expect(applied).toHaveLength(1);
  });

  it("does not take Lifeboat's own save for an edit", async () => {
    const { path, fleet, applied, check } = await setup();
    fleet.update({ ...fleet.get('orders')!, name: 'Orders (EU)' });
    await fleet.save();
    await check();
    expect(applied).toEqual([]);
    expect(await readFile(path, 'utf8')).toContain('Orders (EU)');
  });

  it('keeps the last good fleet when an edit is broken, reports it once, and applies the fix', async () => {
    const { fleet, applied, rejected, replace, check } = await setup();
    await replace(FLEET.replace('port: 5432', 'port: fifty'));
    await check();
    await check();
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(rejected[0]!.message).toMatch(/line 6, services\[0\] \(id orders\)\.connection\.port/);
    expect(rejected[0]!.hint).toMatch(/Until then the last good version stays in use\.$/);
    expect(fleet.get('orders')!.connection.port).toBe(5432);

    await replace('version: 1\nservices:\n  - id: orders\n    name: [oops\n');
    await check();
    expect(rejected).toHaveLength(2);
    expect(rejected[1]!.message).toMatch(/, line \d+: /);

    await replace(FLEET.replace('port: 5432', 'port: 5433'));
    await check();
    expect(rejected).toHaveLength(2);
    expect(applied).toEqual([['orders']]);
    expect(fleet.get('orders')!.connection.port).toBe(5433);
  });

  it('keeps the fleet when the file disappears, instead of dropping every service', async () => {
    const { path, fleet, rejected, replace, applied, check } = await setup();
    await rm(path);
    await check();
    expect(rejected[0]!.message).toBe(`The fleet file ${path} cannot be read (ENOENT).`);
    expect(fleet.list().map((s) => s.id)).toEqual(['orders']);
    await replace(FLEET);
    await check();
    expect(applied).toEqual([]);
    expect(rejected).toHaveLength(1);
  });

  it('notices an edit by itself: the folder watch sees the rename', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-watch-'));
    const path = join(dir, 'fleet.yaml');
    await writeFile(path, FLEET);
    const fleet = await FleetFile.load(path);
    const applied = new Promise<string[]>((resolve) => {
      watcher = watchFleetFile(fleet, { onApplied: resolve, onRejected: () => undefined, debounceMs: 20, statIntervalMs: 60_000 });
    });
    await writeFile(join(dir, 'next.yaml'), FLEET.replace('rpo: 15m', 'rpo: 1h'));
    await rename(join(dir, 'next.yaml'), path);
    expect(await applied).toEqual(['orders']);
    expect(fleet.get('orders')!.policy.rpo).toBe('1h');
  });
});
