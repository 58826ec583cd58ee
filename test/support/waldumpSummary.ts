// What pg_waldump says of one WAL segment, summarised as Lifeboat's in-process scanner summarises it
// (walRecordScan.ts): the reference the scanner is tested against on real segments.
import { execFile } from 'node:child_process';
import { basename, dirname } from 'node:path';

import type { SegmentSummary } from '../../src/core/wal/walRecordScan';

// A prepared transaction's end reads "COMMIT_PREPARED <xid>: <time>".
const COMMIT = /lsn: ([0-9A-F]+\/[0-9A-F]+),.*desc: (?:COMMIT|ABORT)(?:_PREPARED \d+:)? (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) UTC/;
const RESTORE_POINT = /lsn: ([0-9A-F]+\/[0-9A-F]+),.*desc: RESTORE_POINT (.*)$/;

export function parseWaldump(output: string): SegmentSummary {
  const summary: SegmentSummary = { restorePoints: [], records: 0 };
  for (const line of output.split('\n')) {
    if (!line.startsWith('rmgr:')) continue;
    summary.records++;
    const commit = COMMIT.exec(line);
    if (commit) {
      const at = new Date(commit[2]!.replace(' ', 'T') + 'Z').toISOString();
      summary.firstXactTime ??= at;
      summary.lastXactTime = at;
      continue;
    }
    const point = RESTORE_POINT.exec(line);
    if (point) summary.restorePoints.push({ name: point[2]!.trim(), lsn: point[1]! });
  }
  return summary;
}

/** pg_waldump stops with an error at the segment's end (the next one is not there): its output is still whole. */
export function summariseSegment(pgWaldump: string, segmentPath: string): Promise<SegmentSummary> {
  return new Promise((resolve) => {
    execFile(
      pgWaldump,
      ['--path', dirname(segmentPath), basename(segmentPath)],
      { env: { ...process.env, TZ: 'UTC', PGTZ: 'UTC' }, maxBuffer: 1 << 28 },
      (_err, stdout) => resolve(parseWaldump(stdout ?? '')),
    );
  });
}
