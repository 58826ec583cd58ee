// Reading Barman 3.4's -f json answers on plain text, as barman printed them on this machine, and its errors.
import { describe, expect, it } from 'vitest';
import { failedChecks, listedBackups, serversOf, serverSettings, shownBackup, shownWal } from '../../../src/core/engines/barman/barmanBackups';
import { classifyBarmanError } from '../../../src/core/engines/barman/classifyBarmanError';
import { barmanTargetOptions } from '../../../src/core/engines/barman/barmanEngine';

const SHOW = JSON.stringify({ pg: { backup_id: '20261207T024553', base_backup_information: { begin_lsn: '0/2000028', begin_time: '2026-12-07 02:45:53.385273+00:00', begin_wal: '000000010000000000000002', disk_usage_bytes: 23130157, end_lsn: '0/3000000', end_offset: 0, end_time: '2026-12-07 02:45:55.326422+00:00', end_wal: '000000010000000000000002', timeline: 1 }, postgresql_version: 150018, status: 'DONE', tablespaces: [] } });

describe("Barman's answers", () => {
  it('reads show-backup: LSNs (an end at a segment boundary ends in the segment before), times, size, version', () => {
    expect(shownBackup(SHOW, 'pg')).toMatchObject({ label: '20261207T024553', type: 'full', startLsn: '0/2000028', stopLsn: '0/2FFFFFF', timeline: 1, sizeBytes: 23130157, serverVersion: '15', startedAt: '2026-12-07T02:45:53.385Z', finishedAt: '2026-12-07T02:45:55.326Z', consistentAt: '2026-12-07T02:45:55.326Z', problem: undefined });
  });

  it('reads list-backups, list-servers and show-server', () => {
    expect(listedBackups(JSON.stringify({ pg: [{ backup_id: '20261207T024553', status: 'DONE', retention_status: 'OBSOLETE' }] }), 'pg')).toEqual([{ id: '20261207T024553', status: 'DONE', retentionStatus: 'OBSOLETE' }]);
    expect(serversOf(JSON.stringify({ pg: { description: 'test server' } }))).toEqual([{ name: 'pg', status: 'test server' }]);
    expect(serverSettings(JSON.stringify({ pg: { retention_policy: 'REDUNDANCY 2', retention_policy_mode: 'auto', compression: 'gzip', backup_directory: '/var/lib/barman/pg' } }), 'pg')).toMatchObject({ retention: 'retention_policy = REDUNDANCY 2 (auto)', compression: 'WAL gzip', backupDirectory: '/var/lib/barman/pg' });
    expect(() => listedBackups(JSON.stringify({}), 'shop')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('reads what barman -f json check reports FAILED, with its hint, and show-backup\'s WAL size', () => {
    const check = JSON.stringify({ pg: { postgresql: { status: 'OK', hint: '' }, wal_archive: { status: 'FAILED', hint: 'please make sure WAL shipping is setup' }, archiver_errors: { status: 'FAILED', hint: 'duplicates: 1' }, directories: { status: 'OK', hint: '' } } });
    expect(failedChecks(check, 'pg')).toEqual(['Barman check wal archive: FAILED (please make sure WAL shipping is setup)', 'Barman check archiver errors: FAILED (duplicates: 1)']);
    const shown = JSON.parse(SHOW) as { pg: Record<string, unknown> };
    expect(shownWal(JSON.stringify({ pg: { ...shown.pg, wal_information: { disk_usage_bytes: 33074 } } }), 'pg')).toEqual({ bytes: 33074, archivedAt: '2026-12-07T02:45:55.326Z' });
  });

  it("classifies Barman's errors with its own words and a hint", () => {
    expect(classifyBarmanError("ERROR: Unknown server 'nosrv'", 'exit code 1')).toMatchObject({ code: 'NOT_FOUND', message: "Barman: ERROR: Unknown server 'nosrv'" });
    expect(classifyBarmanError("ERROR: Unknown backup 'x' for server 'pg'", 'exit code 1').code).toBe('NOT_FOUND');
    expect(classifyBarmanError("ERROR: WAL file '000000010000000000000013' not found in server 'pg'", 'exit code 1').code).toBe('BROKEN_CHAIN');
  });

  it("writes recover's target options in Barman's spelling", () => {
    expect(barmanTargetOptions({ kind: 'time', time: '2026-12-07 02:54:36.679+00', inclusive: false }, 1)).toEqual(['--target-time', '2026-12-07 02:54:36.679+00', '--exclusive', '--target-tli', '1', '--target-action', 'promote']);
    expect(barmanTargetOptions({ kind: 'latest' }, 1)).toEqual(['--target-tli', '1']);
    expect(barmanTargetOptions({ kind: 'immediate' }, 1)).toEqual(['--target-immediate', '--target-action', 'promote']);
  });
});
