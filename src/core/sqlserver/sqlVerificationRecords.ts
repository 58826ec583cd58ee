// SQL Server verification results, kept in Lifeboat's data folder (state/sqlserver-verifications/<service>.json,
// newest first, the last 100): SQL Server keeps no record of RESTORE VERIFYONLY, and a runbook must say when
// the backups were last proven readable. Written atomically, one write at a time per file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SqlVerificationRecord } from '../../shared/sqlServerViews';
import { writeFileAtomic } from '../storage/atomicWrite';

const KEEP = 100;

export function sqlVerificationFile(dataDir: string, serviceId: string): string {
  return join(dataDir, 'state', 'sqlserver-verifications', `${serviceId}.json`);
}

/** Read-then-write per file, chained: two verifications ending together both stay recorded. */
const pending = new Map<string, Promise<unknown>>();

export async function listSqlVerifications(dataDir: string, serviceId: string, limit = KEEP): Promise<SqlVerificationRecord[]> {
  let text: string;
  try {
    text = await readFile(sqlVerificationFile(dataDir, serviceId), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const records = JSON.parse(text) as SqlVerificationRecord[];
  return records.sort((a, b) => b.finishedAt.localeCompare(a.finishedAt)).slice(0, limit);
}

export function recordSqlVerification(dataDir: string, record: SqlVerificationRecord): Promise<void> {
  const path = sqlVerificationFile(dataDir, record.serviceId);
  const write = (pending.get(path) ?? Promise.resolve()).then(async () => {
    // A record file torn by hand is replaced rather than blocking every later verification.
    const earlier = await listSqlVerifications(dataDir, record.serviceId).catch(() => []);
    await writeFileAtomic(path, JSON.stringify([record, ...earlier].slice(0, KEEP), null, 2) + '\n');
  });
  const settled = write.catch(() => undefined);
  pending.set(path, settled);
  void settled.then(() => pending.get(path) === settled && pending.delete(path));
  return write;
}
