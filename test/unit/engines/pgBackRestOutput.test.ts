// Reading pgBackRest's answers on plain text, as pgbackrest 2.45 printed them on this machine: info --output=json,
// repo-ls --output=json, expire --dry-run's log and verify --output=text; and its ERROR lines classified.
import { describe, expect, it } from 'vitest';
import { backupsOf, stanzaInfo, stanzaProblems, stanzasOf } from '../../../src/core/engines/pgbackrest/pgBackRestInfo';
import { archiveFilesInListing, walNamesInListing } from '../../../src/core/engines/pgbackrest/pgBackRestArchiveListing';
import { expiredLabels } from '../../../src/core/engines/pgbackrest/pgBackRestExpire';
import { readVerifyReport } from '../../../src/core/engines/pgbackrest/pgBackRestVerify';
import { classifyPgBackRestError } from '../../../src/core/engines/pgbackrest/classifyPgBackRestError';
import { targetOptions } from '../../../src/core/engines/pgbackrest/pgBackRestEngine';

const INFO = JSON.stringify([{
  archive: [{ database: { id: 1, 'repo-key': 1 }, id: '15-1', max: '000000010000000000000005', min: '000000010000000000000002' }],
  backup: [
    { archive: { start: '000000010000000000000002', stop: '000000010000000000000002' }, backrest: { format: 5, version: '2.45' }, database: { id: 1, 'repo-key': 1 }, error: false, info: { delta: 22992571, repository: { delta: 3502936, size: 3502936 }, size: 22992571 }, label: '20261207-024511F', lsn: { start: '0/2000028', stop: '0/2000100' }, prior: null, reference: null, timestamp: { start: 1796611511, stop: 1796611515 }, type: 'full' },
    { archive: { start: '000000010000000000000005', stop: '000000010000000000000005' }, backrest: { format: 5, version: '2.45' }, database: { id: 1, 'repo-key': 1 }, error: true, info: { delta: 1417482, repository: { delta: 197881, size: 3503496 }, size: 23000763 }, label: '20261207-024511F_20261207-024515I', lsn: { start: '0/5000028', stop: '0/5000100' }, prior: '20261207-024511F', reference: ['20261207-024511F'], timestamp: { start: 1796611515, stop: 1796611517 }, type: 'incr' },
  ],
  cipher: 'none', db: [{ id: 1, 'repo-key': 1, 'system-id': 7716387679722550364, version: '15' }], name: 'demo',
  repo: [{ cipher: 'none', key: 1, status: { code: 0, message: 'ok' } }], status: { code: 0, lock: { backup: { held: false } }, message: 'ok' },
}]);

describe("pgBackRest's answers", () => {
  it('reads info --output=json: stanzas, backups with LSNs, sizes, references, and the second after the stop', () => {
    expect(stanzasOf(INFO)).toEqual([{ name: 'demo', status: 'ok', backups: 2 }]);
    const [full, incr] = backupsOf(stanzaInfo(INFO, 'demo'));
    expect(full).toMatchObject({ label: '20261207-024511F', type: 'full', startLsn: '0/2000028', stopLsn: '0/2000100', timeline: 1, sizeBytes: 22992571, storedBytes: 3502936, references: [], serverVersion: '15', problem: undefined });
    expect(full!.finishedAt).toBe(new Date(1796611515000).toISOString());
    expect(full!.consistentAt).toBe(new Date(1796611516000).toISOString());
    expect(incr).toMatchObject({ type: 'incr', references: ['20261207-024511F'], storedBytes: 197881, problem: expect.stringContaining('pgbackrest verify') });
  });

  it("states what info reports wrong: the stanza's status and a repository's, in pgBackRest's words", () => {
    const info = stanzaInfo(INFO, 'demo');
    expect(stanzaProblems(info)).toEqual([]);
    const broken = { ...info, status: { code: 2, message: 'no valid backups' }, repo: [{ key: 1, cipher: 'none', status: { code: 0, message: 'ok' } }, { key: 2, cipher: 'none', status: { code: 99, message: 'other' } }] };
    expect(stanzaProblems(broken)).toEqual(['pgBackRest reports stanza demo: no valid backups', 'pgBackRest reports repo2: other']);
    expect(stanzaProblems(broken, 1)).toEqual(['pgBackRest reports stanza demo: no valid backups']);
  });

  it('refuses an unknown stanza with NOT_FOUND naming the command that creates it', () => {
    expect(() => stanzaInfo(INFO, 'shop')).toThrow(expect.objectContaining({ code: 'NOT_FOUND', hint: expect.stringContaining('stanza-create') }));
  });

  it('takes WAL names from repo-ls --output=json: segments without their checksum and suffix, history files, no .backup files', () => {
    const listing = JSON.stringify({
      '.': { type: 'path' },
      '0000000100000000': { type: 'path' },
      '0000000100000000/000000010000000000000002-c914b432c452697883f1f6e4b0eb600e7e341196.gz': { type: 'file', size: 73372, time: 1 },
      '0000000100000000/000000010000000000000002.00000028.backup': { type: 'file', size: 371, time: 1 },
      '0000000100000000/000000010000000000000003-d541570afe5473991977e5f0f442501859a22b74': { type: 'file', size: 1, time: 1 },
      '00000002.history': { type: 'file', size: 42, time: 1 },
    });
    expect(walNamesInListing(listing).sort()).toEqual(['000000010000000000000002', '000000010000000000000003', '00000002.history']);
    // Storage: every stored file with its size and time, the .backup label too.
    expect(archiveFilesInListing(listing).reduce((n, f) => n + f.bytes, 0)).toBe(73372 + 371 + 1 + 42);
    expect(archiveFilesInListing(listing)[0]).toEqual({ walName: '000000010000000000000002', bytes: 73372, archivedAt: '1970-01-01T00:00:01.000Z' });
  });

  it('reads what expire --dry-run would remove, each backup with its rule', () => {
    const log = [
      '2026-12-07 02:45:32.448 P00   INFO: [DRY-RUN] expire command begin 2.45: --dry-run --stanza=demo',
      '2026-12-07 02:45:32.448 P00   INFO: [DRY-RUN] repo1: expire full backup set 20261207-024511F, 20261207-024511F_20261207-024515I',
      '2026-12-07 02:45:32.448 P00   INFO: [DRY-RUN] repo1: expire diff backup 20261207-030000F_20261207-031000D',
      '2026-12-07 02:45:33.325 P00   INFO: [DRY-RUN] repo1: 15-1 remove archive, start = 000000010000000000000002, stop = 000000010000000000000007',
    ].join('\n');
    expect(expiredLabels(log)).toEqual([
      { label: '20261207-024511F', rule: 'repo1 full retention (backup set 20261207-024511F, 20261207-024511F_20261207-024515I)' },
      { label: '20261207-024511F_20261207-024515I', rule: 'repo1 full retention (backup set 20261207-024511F, 20261207-024511F_20261207-024515I)' },
      { label: '20261207-030000F_20261207-031000D', rule: 'repo1 diff retention' },
    ]);
  });

  it("reads verify's report: the asked backup's status and counts, every valid backup", () => {
    const ok = [
      'stanza: demo', 'status: ok',
      '  archiveId: 15-1, total WAL checked: 4, total valid WAL: 4', '    missing: 0, checksum invalid: 0, size invalid: 0, other: 0',
      '  backup: 20261207-024511F, status: valid, total files checked: 964, total valid files: 964', '    missing: 0, checksum invalid: 0, size invalid: 0, other: 0',
    ].join('\n');
    expect(readVerifyReport(ok, '20261207-024511F')).toMatchObject({ ok: true, verified: ['20261207-024511F'], detail: expect.stringContaining('backup 20261207-024511F valid (missing: 0') });
    const bad = ok.replace('status: ok', 'status: error').replace('status: valid, total files checked: 964, total valid files: 964', 'status: invalid, total files checked: 964, total valid files: 963').replace(/checksum invalid: 0(?![\s\S]*checksum invalid: 0)/, 'checksum invalid: 1');
    expect(readVerifyReport(bad, '20261207-024511F')).toMatchObject({ ok: false, verified: [], detail: expect.stringContaining('invalid') });
  });

  it("classifies pgBackRest's numbered errors with its own words and a hint", () => {
    const lock = classifyPgBackRestError("ERROR: [050]: unable to acquire lock on file '/tmp/lock/demo-backup.lock': Resource temporarily unavailable\n       HINT: is another pgBackRest process running?", 'exit code 50');
    expect(lock).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('pgBackRest: ERROR: [050]: unable to acquire lock') });
    expect(classifyPgBackRestError('ERROR: [056]: unable to find primary cluster - cannot proceed', 'exit code 56').code).toBe('UNREACHABLE');
    expect(classifyPgBackRestError('ERROR: [095]: unable to decrypt', 'exit code 95').code).toBe('AUTH_FAILED');
    expect(classifyPgBackRestError('something unexpected', 'exit code 1')).toMatchObject({ code: 'INTERNAL', message: 'pgBackRest: something unexpected' });
  });

  it("writes restore options in pgBackRest's spelling for each kind of target", () => {
    expect(targetOptions({ kind: 'time', time: '2026-12-07 02:54:36.679+00', inclusive: false }, 1)).toEqual(['--type=time', '--target=2026-12-07 02:54:36.679+00', '--target-exclusive', '--target-action=promote', '--target-timeline=1']);
    expect(targetOptions({ kind: 'xid', xid: '745', inclusive: true }, 2)).toEqual(['--type=xid', '--target=745', '--target-action=promote', '--target-timeline=2']);
    expect(targetOptions({ kind: 'immediate' }, 1)).toEqual(['--type=immediate', '--target-action=promote']);
    expect(targetOptions({ kind: 'latest' }, 1)).toEqual(['--type=default', '--target-timeline=1']);
  });
});
