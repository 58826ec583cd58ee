// Cluster shapes that must round-trip, each restored and compared by row counts and ordered-content hashes:
// large objects in a logical backup; a database and a role whose names hold spaces, quotes and non-ASCII
// letters; a cluster with several databases (a physical restore brings all of them, a logical backup of the
// service's own database leaves the others alone); unlogged tables (present and empty after a physical
// restore, as PostgreSQL defines: their contents are not WAL-logged).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/jobs';
import type { ScratchView } from '../../src/shared/recovery';
import { tableFingerprints } from '../support/tableFingerprints';
import { startTestCore, type TestCore } from '../support/testCore';
import { useCluster } from '../support/useCluster';

const password = `pw-${randomBytes(6).toString('hex')}`;
const OWN_DB = 'Crème "brûlée" ünd Ölé';
const ROLE = "Ülrich O'Neil der Große";
const cluster = useCluster({
  superuserPassword: password,
  setup: async (c) => {
    await c.query(`create role "${ROLE.replace(/"/g, '""')}" login`);
    await c.query(`create database "${OWN_DB.replace(/"/g, '""')}" owner "${ROLE.replace(/"/g, '""')}"`);
    await c.query('create database inventory');
    await c.query('create database audit');
  },
});
let t: TestCore;

async function finished(job: Job | undefined): Promise<Job> {
  return t.core.jobs.wait(job!.id);
}

/** Fingerprints of a database in a scratch cluster (its own socket and port, trust inside a private folder). */
async function scratchFingerprints(scratch: ScratchView, database: string) {
  const client = new pg.Client({ host: scratch.connection.host, port: scratch.connection.port, user: scratch.connection.user, database });
  await client.connect();
  try {
    const tables = (await client.query(`select format('%I.%I', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') order by 1`)).rows.map((r) => r.name as string);
    const out: Record<string, { rows: number; md5: string }> = {};
    for (const name of tables) {
      const row = (await client.query(`select count(*) as rows, coalesce(md5(string_agg(t::text, E'\\n' order by t::text)), '') as md5 from ${name} t`)).rows[0];
      out[name] = { rows: Number(row.rows), md5: row.md5 as string };
    }
    return out;
  } finally {
    await client.end();
  }
}

const q = (db: string, sql: string, params: unknown[] = []) => cluster.query(sql, params, db);

beforeAll(async () => {
  t = await startTestCore();
  await t.call('repo.init', { path: `${t.dir}/repo`, encrypt: true });
  await t.call('services.add', { service: { id: 'patisserie', name: 'Pâtisserie', engine: 'postgres', connection: { ...cluster.connection(OWN_DB), password: { kind: 'keychain' } } }, password });
  // The service's own database: ordinary rows, a large object referenced from a table, an unlogged table.
  await q(OWN_DB, 'create table "Rezepte ü" (id int primary key, "Name mit Leerzeichen" text, doc oid)');
  await q(OWN_DB, `insert into "Rezepte ü" select g, 'Rezept ' || g || ' — é', null from generate_series(1, 500) g`);
  await q(OWN_DB, "update \"Rezepte ü\" set doc = lo_from_bytea(0, convert_to(repeat('Großes Objekt ', 20000), 'UTF8')) where id = 1");
  await q(OWN_DB, 'create unlogged table scratchpad (id int, note text)');
  await q(OWN_DB, "insert into scratchpad select g, 'temp' from generate_series(1, 100) g");
  await q(OWN_DB, `grant select on "Rezepte ü" to "${ROLE.replace(/"/g, '""')}"`);
  // Other databases of the same cluster.
  await q('inventory', 'create table stock (sku text primary key, qty int)');
  await q('inventory', "insert into stock select 'sku-' || g, g from generate_series(1, 300) g");
  await q('audit', 'create table events (id bigint, at timestamptz default now())');
  await q('audit', 'insert into events select g from generate_series(1, 200) g');
});

afterAll(async () => {
  for (const s of await t.call('scratch.list', {}).catch(() => [])) await t.call('scratch.remove', { id: s.id }).catch(() => undefined);
  await t?.close();
});

describe('cluster shapes', () => {
  it('a logical backup of a database with spaces, quotes and non-ASCII in its name round-trips its rows and its large object, and leaves the other databases alone', async () => {
    const before = await tableFingerprints(cluster, OWN_DB);
    const [job] = await t.call('backups.start', { serviceIds: ['patisserie'], kind: 'logical' });
    const done = await finished(job);
    expect(done.error).toBeUndefined();
    const backupId = (done.result as { backupId: string }).backupId;
    const others = { inventory: await tableFingerprints(cluster, 'inventory'), audit: await tableFingerprints(cluster, 'audit') };

    const copy = 'Kopie "ñ" l\'été';
    const restored = await finished(await t.call('backups.restore', { backupId, database: copy }));
    expect(restored.error).toBeUndefined();
    const after = await tableFingerprints(cluster, copy);
    // The unlogged table's rows travel in a dump (pg_dump reads them like any table).
    expect(after).toEqual(before);
    const [lo] = await q(copy, 'select md5(lo_get(doc)) as md5, length(lo_get(doc)) as bytes from "Rezepte ü" where id = 1');
    const [orig] = await q(OWN_DB, 'select md5(lo_get(doc)) as md5 from "Rezepte ü" where id = 1');
    expect(lo).toMatchObject({ md5: (orig as { md5: string }).md5, bytes: Buffer.byteLength('Großes Objekt '.repeat(20000)) });
    // The other databases of the cluster are exactly as they were.
    expect({ inventory: await tableFingerprints(cluster, 'inventory'), audit: await tableFingerprints(cluster, 'audit') }).toEqual(others);
    // With the cluster's globals, ownership and grants come along by the role's name too.
    const withRoles = 'Kopie mit Rollen ß';
    const again = await finished(await t.call('backups.restore', { backupId, database: withRoles, withGlobals: true }));
    expect(again.error).toBeUndefined();
    const [grant] = await q(withRoles, `select has_table_privilege($1, '"Rezepte ü"', 'select') as ok, (select pg_get_userbyid(relowner) from pg_class where relname = 'Rezepte ü') as owner`, [ROLE]);
    expect(grant).toEqual({ ok: true, owner: 'postgres' });
  });

  it('a physical backup brings every database of the cluster, and unlogged tables come back present and empty', async () => {
    const expected = {
      own: await tableFingerprints(cluster, OWN_DB),
      inventory: await tableFingerprints(cluster, 'inventory'),
      audit: await tableFingerprints(cluster, 'audit'),
    };
    const [job] = await t.call('backups.start', { serviceIds: ['patisserie'], kind: 'physical' });
    const done = await finished(job);
    expect(done.error).toBeUndefined();
    const backupId = (done.result as { backupId: string }).backupId;
    const restore = await finished(await t.call('restore.pointInTime', { serviceId: 'patisserie', target: { kind: 'immediate', backupId } }));
    expect(restore.error).toBeUndefined();
    const scratch = restore.result as ScratchView;
    const own = await scratchFingerprints(scratch, OWN_DB);
    expect(own['public.scratchpad']).toEqual({ rows: 0, md5: '' });
    expect({ ...own, 'public.scratchpad': expected.own['public.scratchpad'] }).toEqual(expected.own);
    expect(await scratchFingerprints(scratch, 'inventory')).toEqual(expected.inventory);
    expect(await scratchFingerprints(scratch, 'audit')).toEqual(expected.audit);
    // The role with quotes and non-ASCII letters is there by name, with its grant.
    const client = new pg.Client({ host: scratch.connection.host, port: scratch.connection.port, user: scratch.connection.user, database: OWN_DB });
    await client.connect();
    try {
      const grant = await client.query(`select has_table_privilege($1, '"Rezepte ü"', 'select') as ok`, [ROLE]);
      expect(grant.rows[0].ok).toBe(true);
      const lo = await client.query('select length(lo_get(doc)) as bytes from "Rezepte ü" where id = 1');
      expect(lo.rows[0].bytes).toBe(Buffer.byteLength('Großes Objekt '.repeat(20000)));
    } finally {
      await client.end();
    }
  });
});
