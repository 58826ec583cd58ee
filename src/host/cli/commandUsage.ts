// The usage text of every CLI command, in one place: the help prints it, errors quote it as their hint.
// Imports nothing, so the archive commands (wal-push, wal-get) can quote theirs without the command table.
export const SERVICES_USAGE = `lifeboat services list [--json]
lifeboat services add --id ID --uri URI|CONNECTION-STRING [--name NAME] [--owner TEAM] [--tag T ...]
                      [--password-env VAR | --passfile [PATH] | --password-stdin | --no-password] [--json]
                      [--backup-engine pgbackrest --stanza NAME [--pgbackrest-config FILE] [--pgbackrest-repo N]
                       | --backup-engine barman --barman-server NAME [--barman-config FILE]] [--engine-os-user USER]
                      a service backed up by pgBackRest or Barman: Lifeboat reads, drives and restores through them
lifeboat services detect pgbackrest|barman [--pgbackrest-config FILE | --barman-config FILE] [--engine-os-user USER] [--json]
                      the stanzas (pgbackrest info) or servers (barman list-servers) a config knows
lifeboat services remove ID [--json]
lifeboat services test ID [--json]`;

export const BACKUP_USAGE = `lifeboat repo init <location> [--no-encryption] [credentials]
                 create a repository and make it the fleet's default; <location> is a folder,
                 s3://bucket/prefix[?endpoint=URL&region=R&path-style=true] or azure://account/container/prefix;
                 a repository for copies: --same-key-as <primary location> --not-default, then list both
                 in the service's policy.repositories (backups are copied, WAL is stored in each)
lifeboat repo use <location> [credentials]       use an existing repository (fresh install)
                 [credentials] of an object store: --credentials-stdin (S3: key id and secret on two lines;
                 Azure: account key or SAS token) into the keychain; or names the fleet file keeps:
                 --access-key-id-env VAR --secret-access-key-env VAR [--session-token-env VAR] (S3),
                 --account-key-env VAR | --sas-token-env VAR (Azure); or --sdk-credentials (the SDK's own chain)
lifeboat repo info [--json]
lifeboat repo key export                         print the repository key (keep it in your vault)
lifeboat repo key import                         read a key from stdin into this computer's keychain
lifeboat backup <service>... --kind physical|logical [--compression zstd|gzip|none]
                 [--spread-checkpoint] [--max-rate 50M] [--type full|diff|incr]
                 --type: a pgBackRest service's backup type (default pgBackRest's: incr, full when there is none)
lifeboat backup copy <backup-id>                 copy a backup into the service's other repositories (policy.repositories)
lifeboat backups <service> [--json]
lifeboat verify <backup-id> [--json]
lifeboat restore <backup-id> --as <new-db> [--to <service>] [--replace <db>] [--with-globals] [--json]
lifeboat retention <service> [--apply] [--json]
lifeboat jobs [--json]`;

export const WAL_ARCHIVE_USAGE = `lifeboat wal-push <path> --service <id> [--async [--spool <dir>] [--parallel N]]
                 for archive_command = 'lifeboat wal-push --async %p --service <id>'; --async hands the ready
                 segments to one background pusher and answers for %p once it is stored (spool: pg_wal/lifeboat-spool)
lifeboat wal-get <name> <path> --service <id> [--prefetch N [--spool <dir>]]
                 for restore_command = 'lifeboat wal-get --prefetch 8 %f %p --service <id>'; exit 1: not archived,
                 126: any other failure (PostgreSQL then stops recovery rather than take it for the archive's end)`;

export const RECOVERY_USAGE = `lifeboat wal stream <service>                     stream WAL into the repository until Ctrl+C
lifeboat wal status <service> [--json]            slot, retained WAL, archived segments
lifeboat wal drop-slot <service> --confirm <slot>
${WAL_ARCHIVE_USAGE}
lifeboat window <service> [--json]                the recoverable window, gaps named
lifeboat find <service> [--table <schema.table>] [--from <time-with-zone> --to <time-with-zone>] [--min-rows N] [--json]
                 the transactions that dropped, truncated, or deleted or updated at least N (100) rows of a table;
                 default range: the last 24 hours of the archive
lifeboat pitr <service> (--at <time-with-zone> [--exclusive] | --lsn <lsn> | --restore-point <name> | --latest
                 | --immediate <backup-id> | --before-xid <xid> | --after-xid <xid> [--commit-lsn <lsn>])
                 --immediate: to the moment that backup became consistent; --before-xid/--after-xid: just before
                 or just after a transaction commits (lifeboat find gives them, with --commit-lsn, which saves
                 looking the commit up in the archive)
lifeboat restore-commands <service> (--at <time> | --lsn <lsn> | --restore-point <name> | --latest | --immediate <backup-id>
                 | --before-xid <xid> | --after-xid <xid> [--commit-lsn <lsn>]) [--tablespace-mapping OLD=NEW ...]
lifeboat backup-fetch <backup-id> --to <empty-dir> [--tablespace-mapping OLD=NEW ...] [--replace-tablespace <path> ...]
                 unpack a physical backup (checks every byte); tablespaces go where they were unless mapped
lifeboat scratch list [--json]                     scratch clusters of restores and drills
lifeboat scratch remove <id>
lifeboat scratch copy <id> <database> --to <service> --as <name> [--replace <name>]
lifeboat drill <service> [--at <time> | --latest | --immediate <backup-id>]   default: latest, or the newest
                 backup's end when no archived WAL follows any backup
lifeboat drills <service> [--json]`;

export const SQLSERVER_PLAN_USAGE = `lifeboat sqlserver plan --history <file.csv|json> --database <db> (--at <time-with-zone> | --latest) --as <new-db>
    [--file-list <filelistonly.json|csv>] [--replace] [--server-utc-offset <+01:00>] [--json]`;

export const SQLSERVER_USAGE = `lifeboat sqlserver backup <service> --kind full|diff|log [--copy-only] [--database <db>]
                 BACKUP run by SQL Server; the file lands in policy.sqlServer.backupDirectory ON THE SERVER
lifeboat sqlserver history <service> [--database <db>] [--folder <path-on-server>] [--json]
lifeboat sqlserver window <service> [--database <db>] [--json]
lifeboat sqlserver commandlog <service> [--database <db>] [--log-database master] [--limit 200] [--json]
                 Ola Hallengren's dbo.CommandLog: his DatabaseBackup's backups and verifications, durations, errors
lifeboat sqlserver plan <service> (--at <time-with-zone> | --latest) --as <new-db> [--database <db>] [--json]
                 [--stop-before-mark lsn:<lsn> | --stop-at-mark lsn:<lsn>]
${SQLSERVER_PLAN_USAGE}
                 (offline: plan from an exported msdb history, no connection)
lifeboat sqlserver restore <service> (--at <time-with-zone> | --latest) --as <db> [--replace <db>] [--database <db>]
                 [--stop-before-mark lsn:<lsn> | --stop-at-mark lsn:<lsn>]   with --at: to a log record (lifeboat find)
lifeboat sqlserver verify <service> [--database <db>]       RESTORE VERIFYONLY WITH CHECKSUM of the latest chain
lifeboat sqlserver verifications <service> [--json]         the recorded verifications, newest first
lifeboat sqlserver drill <service> [--database <db>]        restore under a scratch name, DBCC CHECKDB, drop
lifeboat sqlserver drills <service> [--json]`;

export const REPLICATION_USAGE = `lifeboat replication <service> [--json]           replication and HA status (also: replication status <service>)
lifeboat replication overview [--json]            every service: healthy, lagging, broken, unknown or none
lifeboat replication promotion-check <service>    what promoting this standby would lose; is the old primary down?
lifeboat replication promote <service> --confirm <service> [--fenced]   promote a PostgreSQL standby`;

export const RUNBOOK_USAGE = `lifeboat runbook <service>|--all [--format md|html|pdf] [--out <file>] [--server-key-file <path-on-db-server>]
                 [--tablespace-mapping OLD=NEW ...]
                 a service's runbook (procedures with exact commands); --all: every service in one document
lifeboat report [--format md|html|pdf] [--out <file>] [--days 30]
                 the fleet report: RPO/RTO compliance, failures, storage, drills, gaps, risks`;

export const AGENT_USAGE = `lifeboat agent [--name NAME]                        run schedules, notifications and WAL streaming headless
                                                    (until SIGINT/SIGTERM; NAME defaults to the host name)`;

export const MONITORING_USAGE = `lifeboat schedules [--json]                         every schedule: in words, next run, last run, missed runs
lifeboat dashboard [--json]                          compliance: backups vs RPO, drills vs RTO, replication, rates
lifeboat notifications [--limit N] [--json]          recent notifications and webhook deliveries
lifeboat webhook list
lifeboat webhook test <name>
lifeboat webhook remove <name>
lifeboat webhook set <name> <url> [--secret-header H] [--kinds job-failed,rpo-breach,...] [--secret-stdin]`;

export const GLOBAL_OPTIONS = `Global options:
  --config FILE     the fleet file (default: LIFEBOAT_CONFIG or fleet.yaml in the app-data folder)
  --data-dir DIR    state and logs (default: LIFEBOAT_DATA_DIR or the app-data folder)
  --json            machine-readable output
  -h, --help        this text; after a command, that command's usage`;

export const EXIT_CODE_TEXT = `Exit codes: 0 ok, 2 bad input or config, 3 connection/authentication, 4 privileges or keychain,
            5 tools or disk, 6 integrity, 7 recovery window, 8 cancelled, 1 internal error.`;

export const USAGE = `Lifeboat: backups, point-in-time recovery and drills for a fleet of service databases.

Usage:
${SERVICES_USAGE}
${BACKUP_USAGE}
${RECOVERY_USAGE}
${SQLSERVER_USAGE}
${REPLICATION_USAGE}
${RUNBOOK_USAGE}
${AGENT_USAGE}
${MONITORING_USAGE}

${GLOBAL_OPTIONS}
${EXIT_CODE_TEXT}`;
