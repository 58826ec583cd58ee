// The second (and third) copy of a backup (policy.repositories): every stored file of a complete backup is
// copied byte for byte into another repository that shares the key, read back from there and checked against
// the manifest's size and SHA-256, and only then the manifest is written (the copy's commit point), with a
// history entry saying where it came from. A copy that fails or is cancelled leaves no listed backup there.
import { createHash } from 'node:crypto';
import type { JobContext } from '../jobs/jobRunner';
import { LifeboatError } from '../lifeboatError';
import type { BackupManifest, HistoryEntry } from '../repository/backupManifest';
import type { BackupRepository } from '../repository/backupRepository';
import { readRepositoryInfo } from '../repository/repositoryInfo';
import { storedOutputClaim } from '../repository/store/storedOutputClaim';
import { ProgressMeter } from './progressMeter';

export interface CopyResult {
  backupId: string;
  to: string;
  files: number;
  bytes: number;
}

export async function copyBackup(ctx: JobContext, from: BackupRepository, to: BackupRepository, manifest: BackupManifest): Promise<CopyResult> {
  const started = Date.now();
  // Byte copies are only readable with the key they were sealed with.
  const target = await readRepositoryInfo(to.store);
  const want = from.info.encryption?.keyFingerprint ?? null;
  const has = target.encryption?.keyFingerprint ?? null;
  if (want !== has)
    throw new LifeboatError(
      'CONFLICT',
      `${to.root} has ${has ? `key ${has}` : 'no key'}; ${from.root} has ${want ? `key ${want}` : 'no key'}: a copy of one cannot be read with the other's key.`,
      `Create the copy's repository with the same key: lifeboat repo init <location> --same-key-as ${from.root} --not-default.`,
    );
  const copy = to.backupFolder(manifest.serviceId, manifest.id);
  // Taken before it is claimed (a claimed folder is removed when the copy fails): a folder of that id that
  // another job holds is never written into, nor removed.
  if (!(await to.takeBackupFolder(manifest.serviceId, manifest.id)))
    throw new LifeboatError('CONFLICT', `${to.root} already has a folder for backup ${manifest.id}, which another job is writing or left behind.`, `Lifeboat's next start removes what an interrupted job left there; then copy it again: lifeboat backup copy ${manifest.id}.`);
  await ctx.claimPartialOutput(storedOutputClaim(copy));
  try {
    return await copyFiles(ctx, from, to, manifest, started);
  } catch (err) {
    // Nothing half-copied stays behind, even when the job around this copy goes on (a backup whose copy
    // failed is still a backup in its first repository).
    await to.store.deletePrefix(copy.prefix).catch(() => undefined);
    throw err;
  }
}

async function copyFiles(ctx: JobContext, from: BackupRepository, to: BackupRepository, manifest: BackupManifest, started: number): Promise<CopyResult> {
  const source = from.backupFolder(manifest.serviceId, manifest.id);
  const copy = to.backupFolder(manifest.serviceId, manifest.id);
  const meter = new ProgressMeter(`copying to ${to.root}`, ctx.progress);
  meter.total = manifest.files.reduce((n, f) => n + f.bytes, 0) * 2;
  let done = 0;
  for (const file of manifest.files) {
    const stored = await to.store.put(copy.prefix + file.name, await from.store.get(source.prefix + file.name, { signal: ctx.signal }), { signal: ctx.signal, expectedBytes: file.bytes });
    done += stored.bytes;
    meter.update(done);
    // Verified on its own: what the copy's store gives back, not what was sent.
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const piece of await to.store.get(copy.prefix + file.name, { signal: ctx.signal })) {
      hash.update(piece as Buffer);
      bytes += (piece as Buffer).length;
    }
    const sha256 = hash.digest('hex');
    if (bytes !== file.bytes || sha256 !== file.sha256)
      throw new LifeboatError('CHECKSUM_MISMATCH', `The copy of ${file.name} in ${to.root} reads back as ${bytes} bytes with SHA-256 ${sha256}; the manifest says ${file.bytes} and ${file.sha256}.`, `Check ${to.root} and copy again: lifeboat backup copy ${manifest.id}.`);
    done += bytes;
    meter.update(done);
  }
  await to.writeManifest(manifest);
  const entry: HistoryEntry = { at: new Date().toISOString(), action: 'verify', ok: true, detail: `copied from ${from.root}; ${manifest.files.length} files read back intact (size and SHA-256)`, durationMs: Date.now() - started };
  await to.appendHistory(manifest.serviceId, manifest.id, entry);
  return { backupId: manifest.id, to: to.root, files: manifest.files.length, bytes: meter.total / 2 };
}
