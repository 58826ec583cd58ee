// Rewrites an append-only JSON-lines file (the job journal, the notifications) with only the entries worth
// keeping: read, select, write a new file, fsync, rename (writeFileAtomic). A crash before the rename leaves
// the old file whole beside a temp file, which the next compaction removes; a torn line is dropped.
import { readFile, stat } from 'node:fs/promises';
import { removeAbandonedTempFiles, writeFileAtomic } from './atomicWrite';

export interface Compaction {
  /** Entries read and entries written. */
  before: number;
  after: number;
  /** Size of the file now. */
  bytes: number;
}

/** Another process may append while we read: a file that changed under us is read again, a few times, and
 * left as it is (to compact another time) rather than rewritten without what was appended. */
const ATTEMPTS = 3;

/** Undefined when the file kept changing under us and was left alone. */
export async function compactJsonLines<T>(path: string, select: (entries: T[]) => T[]): Promise<Compaction | undefined> {
  await removeAbandonedTempFiles(path);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const seen = await stat(path).catch(() => undefined);
    if (!seen) return { before: 0, after: 0, bytes: 0 };
    const entries = parseJsonLines<T>(await readFile(path, 'utf8'));
    const kept = select(entries);
    const text = kept.map((e) => JSON.stringify(e) + '\n').join('');
    const now = await stat(path).catch(() => undefined);
    if (now?.size !== seen.size || now.mtimeMs !== seen.mtimeMs) continue;
    await writeFileAtomic(path, text, 0o600);
    return { before: entries.length, after: kept.length, bytes: Buffer.byteLength(text) };
  }
  return undefined;
}

/** Every line that parses; a torn last line from a crash mid-append is skipped. */
export function parseJsonLines<T>(text: string): T[] {
  return text.split('\n').flatMap((line) => {
    if (!line.trim()) return [];
    try {
      return [JSON.parse(line) as T];
    } catch {
      return [];
    }
  });
}
