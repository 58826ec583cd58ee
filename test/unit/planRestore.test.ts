// Restore planning on plain data: a backup taken before archiving began restores from its stop point, a
// self-contained backup restores to its own end (recovery_target = 'immediate'), and a refusal says how.
import { describe, expect, it } from 'vitest';
import type { BackupManifest } from '../../src/core/repository/backupManifest';
import { planRestore } from '../../src/core/wal/planRestore';
import type { WalEntry } from '../../src/core/wal/walArchive';
import { formatLsn, segmentName } from '../../src/core/wal/walNames';

const MB16 = 16 * 1024 * 1024;
const t0 = Date.parse('2026-11-25T10:00:00Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
const lsnAt = (segNo: number, offset: number) => formatLsn(BigInt(segNo) * BigInt(MB16) + BigInt(offset));

function backup(id: string, startSeg: number, stopSeg: number, stopMinute: number): BackupManifest {
  return {
    format: 1, id, serviceId: 'shop', engine: 'postgres', kind: 'physical', startedAt: at(stopMinute - 0.5), finishedAt: at(stopMinute), compression: 'zstd', encryption: null,
    server: { host: 'db1', port: 5432, database: 'shop', version: '15.18', major: 15 }, tools: {}, lifeboatVersion: 'test',
    files: [{ name: 'base.tar.zst', role: 'base', layers: ['zstd'], bytes: 1, sha256: '0'.repeat(64), sourceBytes: 1 }],
    physical: { startLsn: lsnAt(startSeg, 0x28), stopLsn: lsnAt(stopSeg, 0x100), timeline: 1, walMethod: 'fetch', checkpoint: 'fast', serverManifest: 'inside base tar' },
  };
}

/** Segment segNo of timeline 1, its commits at minute segNo. */
function segment(segNo: number): WalEntry {
  const name = segmentName(1, segNo);
  return { name, kind: 'segment', file: { name: `${name}.gz`, role: 'segment', layers: ['gzip'], bytes: 1, sha256: '0'.repeat(64), sourceBytes: MB16 }, sourceSha256: '0'.repeat(64), archivedAt: at(segNo), firstXactTime: at(segNo), lastXactTime: at(segNo + 0.9), restorePoints: [] };
}

describe('planning a restore', () => {
  it('restores a backup taken before archiving began, from its stop point, staging the archive it has', () => {
    const plan = planRestore([backup('b1', 1, 3, 3.5)], [3, 4, 5].map(segment), { kind: 'time', time: at(4.5), inclusive: true });
    expect(plan.backup.id).toBe('b1');
    expect(plan.walFiles).toEqual([3, 4, 5].map((n) => segmentName(1, n)));
    expect(plan.recoverySettings.recovery_target_time).toBeDefined();
  });

  it('restores a self-contained backup to its own end: recovery_target immediate, on its timeline', () => {
    const plan = planRestore([backup('b1', 1, 3, 3.5), backup('b2', 8, 9, 9.5)], [segment(2), segment(3), segment(4)], { kind: 'immediate', backupId: 'b1' });
    expect(plan.backup.id).toBe('b1');
    expect(plan.recoverySettings).toEqual({ recovery_target: 'immediate', recovery_target_timeline: '1' });
    // What the archive has of the backup's own WAL, up to its stop; never past it.
    expect(plan.walFiles).toEqual([segmentName(1, 2), segmentName(1, 3)]);
    expect(plan.describe).toBe(`the end of backup b1 (${at(3.5)})`);
  });

  it('refuses a time when no backup has archived WAL after it, naming the command that restores its end', () => {
    expect(() => planRestore([backup('b1', 1, 3, 3.5), backup('b2', 8, 9, 9.5)], [], { kind: 'latest' })).toThrowError(
      expect.objectContaining({ code: 'OUT_OF_WINDOW', hint: expect.stringContaining('lifeboat pitr shop --immediate b2') }),
    );
    expect(() => planRestore([backup('b1', 1, 3, 3.5)], [], { kind: 'immediate', backupId: 'nope' })).toThrowError(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('restores around a transaction: recovery_target_xid from the backup before its commit, WAL up to the segment after it', () => {
    const wal = [3, 4, 5, 6, 7, 8].map(segment);
    const plan = planRestore([backup('b1', 1, 3, 3.5), backup('b2', 5, 5, 5.5)], wal, { kind: 'xid', xid: '745', inclusive: false, commitLsn: lsnAt(6, 0x1000) });
    expect(plan.backup.id).toBe('b2');
    expect(plan.recoverySettings).toEqual({ recovery_target_xid: '745', recovery_target_inclusive: 'off', recovery_target_timeline: '1' });
    expect(plan.walFiles).toEqual([5, 6, 7].map((n) => segmentName(1, n)));
    expect(plan.describe).toBe(`just before transaction 745 commits (its commit record at ${lsnAt(6, 0x1000)})`);
    // A commit the backup had not yet passed restores from the older one.
    expect(planRestore([backup('b1', 1, 3, 3.5), backup('b2', 5, 5, 5.5)], wal, { kind: 'xid', xid: '745', inclusive: true, commitLsn: lsnAt(4, 0x1000) }).backup.id).toBe('b1');
    expect(() => planRestore([backup('b1', 1, 3, 3.5)], wal, { kind: 'xid', xid: '745', inclusive: true })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT', hint: expect.stringContaining('lifeboat find') }));
    expect(() => planRestore([backup('b1', 1, 3, 3.5)], wal, { kind: 'xid', xid: '745', inclusive: true, commitLsn: lsnAt(20, 0) })).toThrowError(expect.objectContaining({ code: 'OUT_OF_WINDOW' }));
  });
});
