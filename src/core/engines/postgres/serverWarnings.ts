// Things about a PostgreSQL server a DBA should know before relying on its backups, found during a
// connection test but not failing it.
import type { ServerFacts } from './connectionQueries';

export function serverWarnings(facts: ServerFacts): string[] {
  const warnings: string[] = [];
  if (facts.inRecovery)
    warnings.push(
      'The server is a standby (in recovery). pg_basebackup and pg_dump work on a standby, but a long pg_dump ' +
        'can be cancelled by replication conflicts (see max_standby_streaming_delay), and WAL archiving is ' +
        'set up on the primary.',
    );
  return warnings;
}
