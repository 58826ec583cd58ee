// The step-by-step procedures of a PostgreSQL service's runbook, with the exact commands for this service:
// whole-cluster point-in-time restore (built on restoreCommands, the target time left as a placeholder),
// one database under a new name, a scratch restore, promotion, verification, the key. Pure.
import type { RestoreCommandsView } from '../../shared/recovery';
import { shellQuote } from '../shellQuote';
import type { Fact, Procedure, ProcedureStep } from './documentModel';
import { formatTime } from '../formatFacts';

/** The one value no runbook can know in advance. Tests look for it by this prefix. */
export const TARGET_TIME_PLACEHOLDER = '<TARGET TIME with zone, e.g. 2026-11-25 14:03:00+00>';
export const TARGET_TIME_ISO_PLACEHOLDER = '<TARGET TIME with zone, e.g. 2026-11-25T14:03:00+00:00>';

export interface PostgresProcedureInput {
  serviceId: string;
  database: string;
  host: string;
  port: number;
  user: string;
  configPath: string;
  /** Where the repository key file sits on the database server (for restore_command), when encrypted. */
  serverKeyFile: string;
  encryption: Fact<{ encrypted: boolean; fingerprint?: string; keychainEntry?: string }>;
  /** restore.commands for the newest base backup, with the target left as the placeholder. */
  pitr: Fact<{ commands: RestoreCommandsView; backupFinishedAt: string; windowTo: string }>;
  lastBackupId?: string;
  lastLogicalBackupId?: string;
  /** promotionManualSteps() for this service or its standbys. */
  promotion: Fact<string[]>;
  /** The engine that backs the service up when not Lifeboat: its own commands restore the whole cluster, and
   * there are neither logical backups nor a Lifeboat key. */
  engine?: { label: string; place: string };
}

export function postgresProcedures(i: PostgresProcedureInput): Procedure[] {
  const cfg = `--config ${shellQuote(i.configPath)}`;
  const encrypted = i.encryption.known && i.encryption.value.encrypted;
  const newDb = `${i.database}_restored`;
  if (i.engine) return [pitrProcedure(i, cfg, false), scratchProcedure(i, cfg, newDb), promotionProcedure(i), verifyProcedure(i, cfg)];
  return [pitrProcedure(i, cfg, encrypted), restoreDatabaseProcedure(i, cfg, newDb), scratchProcedure(i, cfg, newDb), promotionProcedure(i), verifyProcedure(i, cfg), keyProcedure(i, cfg)];
}

function pitrProcedure(i: PostgresProcedureInput, cfg: string, encrypted: boolean): Procedure {
  if (!i.pitr.known)
    return {
      id: 'pitr',
      title: 'Restore the whole cluster to a point in time',
      summary: `unknown: ${i.pitr.reason}`,
      before: [],
      steps: [{ title: 'Get the commands for a target when the window allows it', language: 'sh', code: `lifeboat restore-commands ${i.serviceId} --at '${TARGET_TIME_ISO_PLACEHOLDER}' ${cfg}` }],
      notes: [],
    };
  const { commands, backupFinishedAt, windowTo } = i.pitr.value;
  const before: ProcedureStep[] = [
    {
      title: 'Pick the target time',
      why: `These steps restore base backup ${commands.backupId}: valid for targets from ${formatTime(backupFinishedAt)} (when it finished) to ${formatTime(windowTo)} (the last archived transaction when this runbook was generated). For an earlier target, print the commands for it (they pick an older base backup).`,
      language: 'sh',
      code: `lifeboat restore-commands ${i.serviceId} --at '${TARGET_TIME_ISO_PLACEHOLDER}' ${cfg}`,
    },
  ];
  if (encrypted)
    before.push({
      title: `Put the repository key on the database server at ${i.serverKeyFile}`,
      why: 'PostgreSQL runs restore_command as its own OS account, which has no keychain: it reads the key from a file only that account may read. Run the export on a computer whose keychain holds the key, copy the file to the server, then remove the copy.',
      language: 'sh',
      code: `(umask 077; lifeboat repo key export ${cfg} > repo.key)\n# on the database server, as root:\ninstall -d -m 700 -o postgres ${shellQuote(dirOf(i.serverKeyFile))}\ninstall -m 600 -o postgres repo.key ${shellQuote(i.serverKeyFile)}`,
    });
  if (i.engine)
    return {
      id: 'pitr',
      title: `Restore the whole cluster to a point in time (${i.engine.label})`,
      summary: `Stops ${i.host}:${i.port} and restores it with ${i.engine.label}'s own commands (${i.engine.place}) from backup ${commands.backupId}, the one Lifeboat chose, to the target time, then promotes. Replace ${TARGET_TIME_PLACEHOLDER} with the target (UTC offset included).`,
      before,
      steps: commands.steps.map((s) => ({ title: s.title, why: s.why, language: 'sh' as const, code: s.commands.join('\n') })),
      notes: ['The point actually reached is in the server log ("recovery stopping before commit of transaction ..."); check it before letting applications back in.'],
    };
  before.push({
    title: 'Run the steps below on the database server as the account that runs PostgreSQL',
    why: 'With lifeboat, pg_ctl and psql on its PATH, the fleet file above readable, and the repository mounted at the same path.',
  });
  return {
    id: 'pitr',
    title: 'Restore the whole cluster to a point in time (PostgreSQL)',
    summary: `Stops ${i.host}:${i.port}, keeps its data directory, unpacks base backup ${commands.backupId}, replays WAL from the repository to the target time and promotes. Replace ${TARGET_TIME_PLACEHOLDER} with the target (UTC offset included) before running step 4.`,
    before,
    steps: commands.steps.map((s) => ({ title: s.title, why: s.why, language: 'sh' as const, code: s.commands.join('\n') })),
    notes: [
      'The point actually reached is in the server log ("recovery stopping before commit of transaction ..."); check it before letting applications back in.',
      'If the target is not reached (WAL missing), PostgreSQL stops with a FATAL error rather than promoting at an earlier point: move the kept data directory back and investigate.',
    ],
  };
}

function restoreDatabaseProcedure(i: PostgresProcedureInput, cfg: string, newDb: string): Procedure {
  const id = i.lastLogicalBackupId;
  return {
    id: 'restore-database',
    title: 'Restore one database under a new name',
    summary: id
      ? `Restores logical backup ${id} into a new database ${newDb} on ${i.host}:${i.port}; the original stays untouched.`
      : 'There is no logical backup of this service yet: take one first (step 1), then restore it (step 2).',
    before: [],
    steps: [
      ...(id ? [] : [{ title: 'Take a logical backup', language: 'sh' as const, code: `lifeboat backup ${i.serviceId} --kind logical ${cfg}` }]),
      {
        title: `Restore ${id ?? 'the new logical backup'} as ${newDb}`,
        why: 'An existing database of that name is never overwritten without --replace <name>.',
        language: 'sh',
        code: `lifeboat restore ${id ?? `<backup id printed by step 1>`} --as ${shellQuote(newDb)} ${cfg}`,
      },
      { title: 'Check it', language: 'sh', code: `psql -h ${shellQuote(i.host)} -p ${i.port} -U ${shellQuote(i.user)} -d ${shellQuote(newDb)} -c '\\dt+'` },
    ],
    notes: [],
  };
}

function scratchProcedure(i: PostgresProcedureInput, cfg: string, newDb: string): Procedure {
  return {
    id: 'scratch-pitr',
    title: 'Recover data from a point in time without touching production (scratch restore)',
    summary: 'Lifeboat restores the cluster to the target into a scratch cluster on this computer (loopback, archive_mode=off), then copies one database back under a new name.',
    before: [],
    steps: [
      { title: 'Restore into a scratch cluster', language: 'sh', code: `lifeboat pitr ${i.serviceId} --at '${TARGET_TIME_ISO_PLACEHOLDER}' ${cfg}` },
      {
        title: `Copy ${i.database} back to ${i.serviceId} as ${newDb}`,
        why: 'The scratch id is printed by the previous command (also: lifeboat scratch list).',
        language: 'sh',
        code: `lifeboat scratch copy <scratch id printed by lifeboat pitr> ${shellQuote(i.database)} --to ${i.serviceId} --as ${shellQuote(newDb)} ${cfg}`,
      },
      { title: 'Remove the scratch cluster', language: 'sh', code: `lifeboat scratch remove <scratch id printed by lifeboat pitr> ${cfg}` },
    ],
    notes: [],
  };
}

function promotionProcedure(i: PostgresProcedureInput): Procedure {
  if (!i.promotion.known)
    return { id: 'promote', title: 'Promote a standby', summary: `unknown: ${i.promotion.reason}`, before: [], steps: [], notes: [] };
  if (!i.promotion.value.length)
    return { id: 'promote', title: 'Promote a standby', summary: 'No standby was found for this service: there is nothing to promote; recover with a point-in-time restore.', before: [], steps: [], notes: [] };
  return {
    id: 'promote',
    title: 'Promote a standby',
    summary: 'By hand, as below; or with Lifeboat, which checks fencing and asks for confirmation: lifeboat replication promote <standby service> --confirm <standby service>.',
    before: [],
    steps: i.promotion.value.map((text) => ({ title: text.split('\n')[0]!, language: 'text' as const, code: text.split('\n').slice(2).join('\n') })),
    notes: [],
  };
}

function verifyProcedure(i: PostgresProcedureInput, cfg: string): Procedure {
  return {
    id: 'verify',
    title: 'Verify a backup',
    summary: 'Re-reads every file against its manifest checksums (and pg_verifybackup for physical backups); a drill restores and checks the data.',
    before: [],
    steps: [
      { title: 'List the backups', language: 'sh', code: `lifeboat backups ${i.serviceId} ${cfg}` },
      { title: `Verify ${i.lastBackupId ?? 'a backup'}`, language: 'sh', code: `lifeboat verify ${i.lastBackupId ?? '<backup id from the list>'} ${cfg}` },
      { title: 'Run a restore drill (measures the RTO)', language: 'sh', code: `lifeboat drill ${i.serviceId} --latest ${cfg}` },
    ],
    notes: [],
  };
}

function keyProcedure(i: PostgresProcedureInput, cfg: string): Procedure {
  return repositoryKeyProcedure(i.encryption, cfg);
}

/** Finding, exporting and (honestly) rotating the repository key; shared by both engines' runbooks. */
export function repositoryKeyProcedure(encryption: PostgresProcedureInput['encryption'], cfg: string): Procedure {
  if (!encryption.known) return { id: 'key', title: 'Find, export and rotate the repository key', summary: `unknown: ${encryption.reason}`, before: [], steps: [], notes: [] };
  if (!encryption.value.encrypted)
    return { id: 'key', title: 'Find, export and rotate the repository key', summary: 'The repository is not encrypted: there is no key. Anyone who can read the repository can read the backups.', before: [], steps: [], notes: [] };
  return {
    id: 'key',
    title: 'Find, export and rotate the repository key',
    summary: `The key (fingerprint ${encryption.value.fingerprint}) is held in the OS keychain (${encryption.value.keychainEntry}); the repository holds only its fingerprint. Without the key no backup can be restored.`,
    before: [],
    steps: [
      { title: 'Show the repository and its key fingerprint', language: 'sh', code: `lifeboat repo info ${cfg}` },
      { title: 'Export the key (keep it in the team vault, never next to the backups)', language: 'sh', code: `(umask 077; lifeboat repo key export ${cfg} > lifeboat-repo-key.txt)` },
      { title: 'Import it on another computer (fresh install, second DBA)', language: 'sh', code: `lifeboat repo key import ${cfg} < lifeboat-repo-key.txt` },
    ],
    notes: [
      'Rotation: Lifeboat does not rotate a repository key (a repository has one key for its lifetime). To move to a new key, create a new encrypted repository (lifeboat repo init <new folder>), point the fleet at it, take new base backups, and keep the old repository and its key until its backups have expired.',
    ],
  };
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
