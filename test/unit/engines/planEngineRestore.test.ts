// Lifeboat's rule for restores through pgBackRest or Barman, on plain data: the newest backup that stopped
// before the target (never the engine's "latest"), refusals outside the window with the nearest times and
// inside a gap with the missing segments, and the target as the engine will be told it.
import { describe, expect, it } from 'vitest';
import type { EngineBackup } from '../../../src/core/engines/existingEngine';
import { planEngineRestore } from '../../../src/core/engines/planEngineRestore';
import { computeRecoverableWindow } from '../../../src/core/wal/recoverableWindow';
import { formatLsn } from '../../../src/core/wal/walNames';

const MB16 = 16 * 1024 * 1024;
const t0 = Date.parse('2026-11-25T10:00:00Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
const lsnAt = (segNo: number, offset: number) => formatLsn(BigInt(segNo) * BigInt(MB16) + BigInt(offset));

function backup(label: string, startSeg: number, stopSeg: number, stopMinute: number): EngineBackup {
  return { label, type: 'full', startedAt: at(stopMinute - 0.5), finishedAt: at(stopMinute), consistentAt: at(stopMinute), startLsn: lsnAt(startSeg, 0x28), stopLsn: lsnAt(stopSeg, 0x100), timeline: 1, sizeBytes: 1, storedBytes: 1, references: [], serverVersion: '15' };
}

// Segments 2..12 archived, each with commits in its minute, except 8 (a hole); backups stop in 2 and 5.
const backups = [backup('F1', 2, 2, 2.5), backup('I2', 5, 5, 5.5)];
const segments = [2, 3, 4, 5, 6, 7, 9, 10, 11, 12].map((segNo) => ({ timeline: 1, segNo, firstXactTime: at(segNo), lastXactTime: at(segNo + 0.9) }));
const window = computeRecoverableWindow({ segments, histories: [], backups: backups.map((b) => ({ id: b.label, timeline: 1, startLsn: b.startLsn, stopLsn: b.stopLsn, stopTime: b.consistentAt })) });
const plan = (target: Parameters<typeof planEngineRestore>[2]) => planEngineRestore(window, backups, target, 'shop');

describe('planning a restore through an engine', () => {
  it('picks the newest backup that stopped before the target, and tells the engine the time with its zone', () => {
    expect(plan({ kind: 'time', time: at(6), inclusive: true })).toMatchObject({ backup: { label: 'I2' }, timeline: 1, target: { kind: 'time', time: '2026-11-25 10:06:00.000+00', inclusive: true } });
    expect(plan({ kind: 'time', time: at(4), inclusive: false })).toMatchObject({ backup: { label: 'F1' }, target: { inclusive: false } });
  });

  it('refuses a time before the first backup with the nearest valid time, and one in the hole naming it', () => {
    expect(() => plan({ kind: 'time', time: at(1), inclusive: true })).toThrow(expect.objectContaining({ code: 'OUT_OF_WINDOW', hint: `Nearest valid times: earliest after it: ${at(2.5)}.` }));
    expect(() => plan({ kind: 'time', time: at(8.5), inclusive: true })).toThrow(expect.objectContaining({ code: 'OUT_OF_WINDOW', message: expect.stringContaining('000000010000000000000008..000000010000000000000008 are missing') }));
  });

  it('chooses by LSN for LSN targets and for a transaction whose commit LSN is known', () => {
    expect(plan({ kind: 'lsn', lsn: lsnAt(4, 0), inclusive: true }).backup.label).toBe('F1');
    expect(plan({ kind: 'xid', xid: '900', inclusive: true, commitLsn: lsnAt(6, 0x40) })).toMatchObject({ backup: { label: 'I2' }, target: { kind: 'xid', xid: '900' } });
    expect(() => plan({ kind: 'lsn', lsn: lsnAt(11, 0), inclusive: true })).toThrow(expect.objectContaining({ code: 'OUT_OF_WINDOW' }));
  });

  it('restores "latest" from the newest backup and a backup\'s end by its Lifeboat id', () => {
    expect(plan({ kind: 'latest' })).toMatchObject({ backup: { label: 'I2' }, target: { kind: 'latest' } });
    expect(plan({ kind: 'immediate', backupId: 'shop:F1' })).toMatchObject({ backup: { label: 'F1' }, target: { kind: 'immediate' } });
    expect(() => plan({ kind: 'immediate', backupId: 'shop:nope' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('restores to a restore point from the newest backup that stopped before it, the first of that name', () => {
    const points = [{ name: 'before_migration', lsn: lsnAt(4, 0x80), timeline: 1 }, { name: 'nightly', lsn: lsnAt(6, 0x80), timeline: 1 }, { name: 'nightly', lsn: lsnAt(10, 0x80), timeline: 1 }];
    const byName = (name: string) => planEngineRestore(window, backups, { kind: 'name', name }, 'shop', points);
    expect(byName('before_migration')).toMatchObject({ backup: { label: 'F1' }, timeline: 1, target: { kind: 'name', name: 'before_migration' } });
    expect(byName('nightly').backup.label).toBe('I2');
    expect(() => byName('nope')).toThrow(expect.objectContaining({ code: 'OUT_OF_WINDOW', message: 'No restore point named "nope" in the archived WAL of shop.', hint: expect.stringContaining('lifeboat pitr shop --at') }));
    // A point in the hole of the archive (segment 8) cannot be reached from any backup.
    expect(() => planEngineRestore(window, backups, { kind: 'name', name: 'lost' }, 'shop', [{ name: 'lost', lsn: lsnAt(8, 0x80), timeline: 1 }])).toThrow(expect.objectContaining({ code: 'OUT_OF_WINDOW', message: expect.stringContaining('Restore point "lost"') }));
  });

  it('restores to a transaction without its commit LSN from the oldest backup of the newest run, and says why', () => {
    const p = plan({ kind: 'xid', xid: '900', inclusive: false });
    expect(p).toMatchObject({ backup: { label: 'F1' }, target: { kind: 'xid', xid: '900', inclusive: false } });
    expect(p.describe).toContain('without the commit\'s LSN Lifeboat cannot tell which newer backup stopped before it; give --commit-lsn');
  });
});
