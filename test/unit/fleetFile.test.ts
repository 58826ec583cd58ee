import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FleetFile } from '../../src/core/inventory/fleetFile';
import { LifeboatError } from '../../src/core/lifeboatError';
import { serviceSchema } from '../../src/shared/domain';

const orders = serviceSchema.parse({
  id: 'orders',
  name: 'Orders',
  owner: 'team-checkout',
  engine: 'postgres',
  connection: { host: 'db1.internal', port: 5432, database: 'orders', user: 'backup' },
  tags: ['checkout'],
  policy: { rpo: '15m', rto: '1h' },
});

async function tempPath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'lifeboat-fleet-')), 'fleet.yaml');
}

function parseError(text: string): LifeboatError {
  try {
    FleetFile.parse('/x/fleet.yaml', text);
  } catch (err) {
    return err as LifeboatError;
  }
  throw new Error('expected a parse error');
}

describe('fleet file', () => {
  it('writes a readable YAML file with no password and reads it back identically', async () => {
    const path = await tempPath();
    const fleet = await FleetFile.load(path);
    fleet.add(orders);
    await fleet.save();
    const text = await readFile(path, 'utf8');
    expect(text).toContain('id: orders');
    expect(text).toContain('host: db1.internal');
    expect(text).toMatch(/password:\s*\n\s+kind: keychain/);
    expect(text).toMatch(/^# Lifeboat fleet inventory/);
    const again = await FleetFile.load(path);
    expect(again.list()).toEqual([orders]);
  });

  it('keeps the repositories created for copies, once each, across a save and a reload', async () => {
    const path = await tempPath();
    const fleet = await FleetFile.load(path);
    fleet.setRepository('/srv/lifeboat');
    fleet.addCopyRepository('azure://acct/offsite/lifeboat');
    fleet.addCopyRepository('s3://vault/lifeboat');
    fleet.addCopyRepository('azure://acct/offsite/lifeboat');
    await fleet.save();
    const again = await FleetFile.load(path);
    expect(again.copyRepositories).toEqual(['azure://acct/offsite/lifeboat', 's3://vault/lifeboat']);
    expect(again.repository).toBe('/srv/lifeboat');
    expect(await readFile(path, 'utf8')).toContain('copyRepositories:\n  - azure://acct/offsite/lifeboat\n  - s3://vault/lifeboat\n');
  });

  it('keeps a team\'s comments when a service is added, updated and removed', async () => {
    const path = await tempPath();
    await writeFile(path, '# owned by the platform team\nversion: 1\nservices:\n  # the checkout database\n  - id: orders\n    name: Orders\n    engine: postgres\n    connection: { host: h, port: 5432, database: orders, user: u }\n');
    const fleet = await FleetFile.load(path);
    fleet.add({ ...orders, id: 'billing', name: 'Billing' });
    fleet.update({ ...fleet.get('orders')!, owner: 'checkout' });
    await fleet.save();
    const text = await readFile(path, 'utf8');
    expect(text).toContain('# owned by the platform team');
    expect(text).toContain('id: billing');
    expect((await FleetFile.load(path)).get('orders')!.owner).toBe('checkout');
    fleet.remove('billing');
    await fleet.save();
    expect((await FleetFile.load(path)).list().map((s) => s.id)).toEqual(['orders']);
  });

  it('names the line and the field of a wrong value', () => {
    const err = parseError('version: 1\nservices:\n  - id: orders\n    name: Orders\n    engine: postgres\n    connection:\n      host: h\n      port: eighty\n      database: d\n      user: u\n');
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain('line 8');
    expect(err.message).toContain('services[0] (id orders).connection.port');
  });

  it('names the line of a YAML syntax error', () => {
    const err = parseError('version: 1\nservices:\n  - id: orders\n    name: "Orders\n');
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/line \d/);
  });

  it('refuses an unknown engine and a duplicate id', () => {
    expect(parseError('version: 1\nservices:\n  - id: a\n    name: A\n    engine: oracle\n    connection: { host: h, port: 1, database: d, user: u }\n').message).toContain('services[0] (id a).engine');
    const dup = 'version: 1\nservices:\n' + ['a', 'a'].map((id) => `  - id: ${id}\n    name: A\n    engine: postgres\n    connection: { host: h, port: 1, database: d, user: u }\n`).join('');
    expect(parseError(dup).message).toContain('"a" appears twice');
  });

  it('refuses to add a second service with the same id', async () => {
    const fleet = await FleetFile.load(await tempPath());
    fleet.add(orders);
    expect(() => fleet.add(orders)).toThrow(/already exists/);
  });

  it('leaves no temporary file behind after a save', async () => {
    const path = await tempPath();
    const fleet = await FleetFile.load(path);
    fleet.add(orders);
    await fleet.save();
    await fleet.save();
    const dir = path.replace(/\/fleet\.yaml$/, '');
    expect(await readdir(dir)).toEqual(['fleet.yaml']);
  });
});
