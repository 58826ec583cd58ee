// The fleet file's monitoring parts: policy.schedules (cron with an explicit, known time zone) and the
// top-level notifications section, edited in place so the team's comments survive.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FleetFile } from '../../../src/core/inventory/fleetFile';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-fleet-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const service = (schedule: string) => `version: 1
# Nightly backups for orders; owned by the payments team.
services:
  - id: orders
    name: Orders
    engine: postgres
    connection: { host: db1, port: 5432, database: orders, user: lifeboat }
    policy:
      rpo: 24h
      schedules:
${schedule}
`;

describe('schedules and notifications in the fleet file', () => {
  it('reads schedules with their time zone and runMissed', () => {
    const fleet = FleetFile.parse('fleet.yaml', service(`        - { kind: physical, cron: "0 2 * * *", timeZone: Europe/Berlin, runMissed: true }\n        - { kind: verify, cron: "0 6 * * 1", timeZone: UTC }`));
    expect(fleet.get('orders')!.policy.schedules).toEqual([
      { kind: 'physical', cron: '0 2 * * *', timeZone: 'Europe/Berlin', runMissed: true },
      { kind: 'verify', cron: '0 6 * * 1', timeZone: 'UTC' },
    ]);
  });

  it('refuses a schedule without a known time zone, naming the line and field', () => {
    expect(() => FleetFile.parse('fleet.yaml', service(`        - { kind: physical, cron: "0 2 * * *", timeZone: Mars/Olympus }`))).toThrow(/line 11, services\[0\] \(id orders\)\.policy\.schedules\[0\]\.timeZone: an IANA time zone/);
    expect(() => FleetFile.parse('fleet.yaml', service(`        - { kind: physical, cron: "0 2 * * *" }`))).toThrow(/schedules\[0\]\.timeZone/);
    expect(() => FleetFile.parse('fleet.yaml', service(`        - { kind: hourly, cron: "0 2 * * *", timeZone: UTC }`))).toThrow(/schedules\[0\]\.kind/);
  });

  it('saves the notifications section without touching the comments, and never a secret value', async () => {
    const path = join(dir, 'fleet.yaml');
    await writeFile(path, service(`        - { kind: logical, cron: "30 1 * * *", timeZone: UTC }`));
    const fleet = await FleetFile.load(path);
    fleet.setNotifications({ desktop: false, webhooks: [{ name: 'dba-chat', url: 'https://chat.example.com/hooks/abc', secretHeader: 'X-Token', kinds: ['job-failed', 'rpo-breach'] }] });
    await fleet.save();
    const text = await readFile(path, 'utf8');
    expect(text).toContain('# Nightly backups for orders; owned by the payments team.');
    const again = await FleetFile.load(path);
    expect(again.notifications).toEqual({ desktop: false, webhooks: [{ name: 'dba-chat', url: 'https://chat.example.com/hooks/abc', secretHeader: 'X-Token', kinds: ['job-failed', 'rpo-breach'] }] });
    expect(again.get('orders')!.policy.schedules).toHaveLength(1);
  });

  it('refuses a webhook that is not an http(s) URL', () => {
    expect(() => FleetFile.parse('fleet.yaml', 'version: 1\nservices: []\nnotifications:\n  webhooks:\n    - { name: ops, url: "ftp://example.com/x" }\n')).toThrow(/notifications\.webhooks\[0\]\.url/);
  });
});
