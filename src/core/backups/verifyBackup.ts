// Proves a backup can be read back: every stored file's size, SHA-256 and authentication, then the engine's
// own check — pg_verifybackup on the unpacked base (against the server's backup_manifest and the WAL) for a
// physical backup, pg_restore --list on the dump for a logical one. The outcome goes into the backup's history.
import type { StoreFolder } from '../repository/store/storeFolder';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { findPgTools } from '../engines/postgres/pgTools';
import { runPgTool } from '../engines/postgres/pgToolProcess';
import type { JobContext } from '../jobs/jobRunner';
import { LifeboatError, toWireError } from '../lifeboatError';
import type { BackupManifest, HistoryEntry } from '../repository/backupManifest';
import type { BackupRepository } from '../repository/backupRepository';
import { readStoredFile } from '../repository/storedFileIo';
import { tuneAllocatorForBulkIo } from '../repository/allocatorTuning';
import { ProgressMeter } from './progressMeter';
import { unpackPhysicalBackup } from './unpackPhysicalBackup';

export interface VerifyResult {
  backupId: string;
  ok: boolean;
  detail: string;
  code?: string;
}

export async function verifyBackup(ctx: JobContext, repository: BackupRepository, manifest: BackupManifest, key: Buffer | undefined): Promise<VerifyResult> {
  await tuneAllocatorForBulkIo();
  const started = Date.now();
  const dir = repository.backupFolder(manifest.serviceId, manifest.id);
  const meter = new ProgressMeter('reading stored files', ctx.progress);
  meter.total = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
  let before = 0;
  const track = (n: number) => meter.update(before + n);
  let result: VerifyResult;
  try {
    const details: string[] = [];
    // A physical backup's archives are read by unpacking them; every other file is read through.
    const unpacked = new Set(manifest.kind === 'physical' ? ['base', 'tablespace', 'server-manifest'] : []);
    if (manifest.kind === 'physical') {
      details.push(await checkPhysical(ctx, dir, manifest, key, meter, track));
      before += manifest.files.filter((f) => unpacked.has(f.role)).reduce((n, f) => n + f.bytes, 0);
    }
    for (const file of manifest.files.filter((f) => !unpacked.has(f.role))) {
      const content = readStoredFile(dir, file, key, track);
      if (manifest.kind === 'logical' && file.role === 'dump') details.push(await checkDump(ctx, content, manifest));
      else await drain(content, ctx.signal);
      before += file.bytes;
    }
    result = { backupId: manifest.id, ok: true, detail: `${manifest.files.length} files intact (SHA-256, authentication); ${details.join('; ')}` };
  } catch (err) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const wire = toWireError(err);
    result = { backupId: manifest.id, ok: false, detail: wire.message, code: wire.code };
  }
  const entry: HistoryEntry = { at: new Date().toISOString(), action: 'verify', ok: result.ok, detail: result.detail, durationMs: Date.now() - started, code: result.code };
  await repository.appendHistory(manifest.serviceId, manifest.id, entry);
  if (!result.ok) throw new LifeboatError((result.code as never) ?? 'CHECKSUM_MISMATCH', `Verification of ${manifest.id} failed: ${result.detail}`, 'Do not restore from this backup; take a new one and look at the repository disk.');
  return result;
}

async function drain(stream: Readable, signal: AbortSignal): Promise<void> {
  await pipeline(stream, new Writable({ write: (_c, _e, done) => done() }), { signal });
}

/**
 * Unpacks the backup into a private temp folder (each tablespace at pg_tblspc/<oid>, where the server's
 * manifest names its files) and runs pg_verifybackup there; the folder is removed.
 */
async function checkPhysical(ctx: JobContext, dir: StoreFolder, manifest: BackupManifest, key: Buffer | undefined, meter: ProgressMeter, track: (n: number) => void): Promise<string> {
  const tools = await findPgTools(manifest.server.major);
  const scratch = await mkdtemp(join(tmpdir(), 'lifeboat-verify-'));
  try {
    meter.setPhase('unpacking the base backup');
    await unpackPhysicalBackup({ backupFolder: dir, manifest, key, dataDir: scratch, tablespaceDir: (t) => join(scratch, 'pg_tblspc', t.oid), relink: false, signal: ctx.signal, onStoredBytes: track });
    meter.setPhase('pg_verifybackup');
    // pg_verifybackup reads the WAL with the pg_waldump of its own version, which cannot read another
    // version's WAL: for an older server it checks the files only (Lifeboat's own scanner read that WAL).
    const parseWal = tools.major === manifest.server.major;
    const run = runPgTool(tools.path('pg_verifybackup'), [...(parseWal ? [] : ['--no-parse-wal']), scratch], { env: process.env, signal: ctx.signal });
    let out = '';
    run.child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await run.done;
    } catch (err) {
      throw new LifeboatError('CHECKSUM_MISMATCH', `pg_verifybackup found a problem in ${manifest.id}: ${run.stderr().trim().split('\n').slice(0, 3).join(' / ')}`, 'The backup does not match the server\'s own manifest; do not restore from it.', { cause: err });
    }
    const spaces = manifest.physical?.tablespaces?.length ?? 0;
    return `pg_verifybackup${parseWal ? '' : ` ${tools.major} (files only: it cannot read PostgreSQL ${manifest.server.major}'s WAL)`}: ${out.trim() || 'backup successfully verified'}${spaces ? ` (data directory and ${spaces} tablespace${spaces === 1 ? '' : 's'})` : ''}`;
  } finally {
    await rm(scratch, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  }
}

/** pg_restore --list reads the whole archive's table of contents from the stream. */
async function checkDump(ctx: JobContext, content: Readable, manifest: BackupManifest): Promise<string> {
  const tools = await findPgTools(manifest.server.major);
  const run = runPgTool(tools.path('pg_restore'), ['--list'], { env: process.env, signal: ctx.signal, stdin: 'pipe' });
  let listing = '';
  run.child.stdout.on('data', (d: Buffer) => (listing += d.toString()));
  // pg_restore stops reading after the table of contents; the rest still has to be checked.
  const feed = pipeline(content, new Writable({
    write(chunk, _e, done) {
      if (run.child.stdin.writable && !run.child.stdin.destroyed) run.child.stdin.write(chunk, () => done());
      else done();
    },
    final(done) {
      run.child.stdin.end();
      done();
    },
  }), { signal: ctx.signal });
  run.child.stdin.on('error', () => {});
  await Promise.all([feed, run.done]);
  const entries = listing.split('\n').filter((l) => /^\d+;/.test(l)).length;
  if (entries === 0) throw new LifeboatError('CHECKSUM_MISMATCH', `The dump of ${manifest.id} lists no objects.`, 'The archive is empty or damaged.');
  const tables = listing.split('\n').filter((l) => / TABLE DATA /.test(l)).length;
  return `pg_restore --list: ${entries} entries, ${tables} tables with data`;
}
