// Decides from catalog facts whether a role can take physical (pg_basebackup) and logical (pg_dump)
// backups, and says why in words a DBA can act on.
import type { PrivilegeCheck } from '../../../shared/domain';
import type { ServerFacts, TableAccess } from './connectionQueries';

/**
 * pg_basebackup needs REPLICATION (or superuser), a wal_level above minimal and a free WAL sender. A
 * replication line in pg_hba.conf is needed too, but only a replication connection can find out.
 */
export function physicalBackupCheck(facts: ServerFacts): PrivilegeCheck {
  const role = `role ${facts.role}`;
  if (!facts.isSuperuser && !facts.hasReplication)
    return { state: 'missing', detail: `${role} needs REPLICATION or superuser for pg_basebackup (ALTER ROLE ${facts.role} REPLICATION)` };
  if (facts.walLevel === 'minimal')
    return { state: 'missing', detail: `wal_level is minimal on the server; pg_basebackup needs replica or logical (a restart is needed to change it)` };
  if (facts.maxWalSenders < 2)
    return { state: 'missing', detail: `max_wal_senders is ${facts.maxWalSenders} on the server; pg_basebackup needs 2 free WAL senders (one copies files, one streams WAL)` };
  const why = facts.isSuperuser ? `${role} is a superuser` : `${role} has REPLICATION`;
  return {
    state: 'ok',
    detail:
      `${why}; pg_hba.conf must also allow a "replication" connection for ${facts.role} from this machine, ` +
      'which this test cannot see: only a replication connection (the first backup) will tell',
  };
}

/**
 * pg_dump reads every table and sequence of the database. Superusers read everything; pg_read_all_data
 * grants SELECT everywhere but, unlike BYPASSRLS, does not switch off row-level security.
 */
export function logicalBackupCheck(facts: ServerFacts, access: TableAccess | undefined): PrivilegeCheck {
  const role = `role ${facts.role}`;
  const database = `database ${facts.database}`;
  if (facts.isSuperuser) return { state: 'ok', detail: `${role} is a superuser and reads every table of ${database}` };
  if (!facts.canConnect)
    return { state: 'missing', detail: `${role} has no CONNECT privilege on ${database} (GRANT CONNECT ON DATABASE ${facts.database} TO ${facts.role})` };
  if (!access) return { state: 'unknown', detail: `the tables of ${database} could not be checked` };

  const problems: string[] = [];
  if (access.unreadable > 0)
    problems.push(
      `${role} cannot read ${access.unreadable} of ${access.relations} tables and sequences in ${database}; ` +
        'grant SELECT on them (and USAGE on their schemas) or membership in pg_read_all_data (PostgreSQL 14+)',
    );
  if (access.rowSecurity > 0 && !facts.bypassesRls)
    problems.push(
      `${access.rowSecurity} tables in ${database} have row-level security, which makes pg_dump fail for ${role}; ` +
        `give it BYPASSRLS (ALTER ROLE ${facts.role} BYPASSRLS)`,
    );
  if (problems.length > 0) return { state: 'missing', detail: problems.join('; ') };
  const how = facts.readsAllData ? ' as a member of pg_read_all_data' : '';
  return { state: 'ok', detail: `${role} can read all ${access.relations} tables and sequences of ${database}${how}` };
}
