// Waits for the database server's clock, never for a time on this one: rows a test tells apart by time
// commit at least a second apart.
import type { PgCluster } from './pgCluster';
import { until } from './until';

/**
 * Waits until the server's clock has passed `iso` by a whole second: engines keep backup times in whole
 * seconds (pgBackRest), the recoverable window and restore targets are shown to the second, and a restore
 * target is told to engines in milliseconds.
 */
export async function serverClockPast(cluster: PgCluster, iso: string): Promise<void> {
  const after = new Date(Math.floor(Date.parse(iso) / 1000) * 1000 + 1000).toISOString();
  await until(`the server's clock to pass ${after}`, async () => (await cluster.query<{ past: boolean }>('select now() > $1::timestamptz as past', [after]))[0]!.past, 10_000);
}
