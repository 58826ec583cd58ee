// WAL segment names, LSNs and timelines: the arithmetic PostgreSQL uses, on BigInt so no LSN loses digits.

export const DEFAULT_SEGMENT_SIZE = 16 * 1024 * 1024;

export function parseLsn(lsn: string): bigint {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn);
  if (!m) throw new Error(`Not an LSN: ${lsn}`);
  return (BigInt('0x' + m[1]) << 32n) + BigInt('0x' + m[2]);
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

const SEGMENT_RE = /^([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})$/;
const HISTORY_RE = /^([0-9A-F]{8})\.history$/;

export function isSegmentName(name: string): boolean {
  return SEGMENT_RE.test(name);
}

export function historyTimeline(name: string): number | undefined {
  const m = HISTORY_RE.exec(name);
  return m ? parseInt(m[1]!, 16) : undefined;
}

/** segNo counts segments from LSN 0; the name splits it into "log" and "seg" parts by segments per 4 GiB. */
export function parseSegmentName(name: string, segmentSize = DEFAULT_SEGMENT_SIZE): { timeline: number; segNo: number } {
  const m = SEGMENT_RE.exec(name);
  if (!m) throw new Error(`Not a WAL segment name: ${name}`);
  const perXLogId = 0x1_0000_0000 / segmentSize;
  return { timeline: parseInt(m[1]!, 16), segNo: parseInt(m[2]!, 16) * perXLogId + parseInt(m[3]!, 16) };
}

export function segmentName(timeline: number, segNo: number, segmentSize = DEFAULT_SEGMENT_SIZE): string {
  const perXLogId = 0x1_0000_0000 / segmentSize;
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');
  return hex(timeline) + hex(Math.floor(segNo / perXLogId)) + hex(segNo % perXLogId);
}

export function segNoOf(lsn: bigint, segmentSize = DEFAULT_SEGMENT_SIZE): number {
  return Number(lsn / BigInt(segmentSize));
}

export function segmentStart(segNo: number, segmentSize = DEFAULT_SEGMENT_SIZE): bigint {
  return BigInt(segNo) * BigInt(segmentSize);
}

/** A timeline's ancestry from its .history file: each line "parentTLI<TAB>switchpoint<TAB>reason". */
export interface TimelineHistory {
  timeline: number;
  /** Oldest first: the parent timeline and the LSN where the child branched off it. */
  parents: Array<{ timeline: number; switchLsn: string }>;
}

export function parseHistoryFile(timeline: number, text: string): TimelineHistory {
  const parents: TimelineHistory['parents'] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+([0-9A-Fa-f]+\/[0-9A-Fa-f]+)/.exec(line);
    if (m) parents.push({ timeline: Number(m[1]), switchLsn: m[2]!.toUpperCase() });
  }
  return { timeline, parents };
}
