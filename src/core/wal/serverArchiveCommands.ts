// The archive_command and restore_command with which a database server archives into a service's WAL archive
// (and restores from it) by itself: shown on the WAL panel, and the ground of the whole-cluster restore that
// restore-commands and the runbooks print. The postgres account has no keychain: the key comes from a file.
import { shellQuote } from '../shellQuote';

/** Where the repository key file sits on database servers unless LIFEBOAT_SERVER_KEY_FILE says otherwise. */
export const DEFAULT_SERVER_KEY_FILE = '/etc/lifeboat/repo.key';

export function serverKeyFile(env: NodeJS.ProcessEnv): string {
  return env.LIFEBOAT_SERVER_KEY_FILE || DEFAULT_SERVER_KEY_FILE;
}

export interface ServerArchiveTarget {
  serviceId: string;
  /** The fleet file as the server sees it. */
  configPath: string;
  /** An encrypted repository needs the key file. */
  encrypted: boolean;
  keyFile: string;
}

function walCommand(t: ServerArchiveTarget, verb: string): string {
  const key = t.encrypted ? `LIFEBOAT_KEY_FILE=${shellQuote(t.keyFile)} ` : '';
  return `${key}lifeboat ${verb} --service ${t.serviceId} --config ${shellQuote(t.configPath)}`;
}

/** Asynchronous archiving: one background pusher stores the ready segments ahead of PostgreSQL's calls. */
export function archiveCommand(t: ServerArchiveTarget): string {
  return walCommand(t, 'wal-push --async %p');
}

/** restore_command with the next `prefetch` segments staged ahead by a background prefetcher. */
export function restoreCommand(t: ServerArchiveTarget, prefetch = 8): string {
  return walCommand(t, `wal-get --prefetch ${prefetch} %f %p`);
}
