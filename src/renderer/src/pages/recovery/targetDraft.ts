// The restore form's fields (target kind, wall time, zone, LSN, restore point, transaction) turned into the contract's
// restore target, or into messages per field. A time always leaves with its offset: "14:03:07" alone would
// be read in whatever zone the server happens to run in, the classic restore mistake.
import { restoreTargetSchema } from '../../../../shared/contract';
import type { MethodInput } from '../../../../shared/contract';
import { instantOf, isoWithOffset, parseOffset, parseWall } from '../../format/zonedTime';
import type { TimeZoneChoice, WallAdjustment, WallTime } from '../../format/zonedTime';

export type RestoreTarget = MethodInput<'restore.pointInTime'>['target'];
export type TargetKind = RestoreTarget['kind'];
/** The zone select: UTC, this computer's zone, or a fixed offset typed beside it. */
export type ZoneKey = 'utc' | 'local' | 'offset';

export interface TargetDraft {
  kind: TargetKind;
  /** "YYYY-MM-DDTHH:MM:SS" on the clock of the chosen zone. */
  time: string;
  zone: ZoneKey;
  /** "+05:30" when zone is "offset". */
  offset: string;
  inclusive: boolean;
  lsn: string;
  name: string;
  /** The backup whose end to restore to (kind "immediate"). */
  backupId: string;
  /** A transaction id (kind "xid"), and where it committed when a finding gave it. */
  xid: string;
  commitLsn: string;
}

export type DraftErrors = Partial<Record<'time' | 'offset' | 'lsn' | 'name' | 'backup' | 'xid', string>>;

export const EMPTY_DRAFT: TargetDraft = { kind: 'time', time: '', zone: 'local', offset: '+00:00', inclusive: true, lsn: '', name: '', backupId: '', xid: '', commitLsn: '' };

export function zoneOf(draft: Pick<TargetDraft, 'zone' | 'offset'>, localZone: string): TimeZoneChoice | undefined {
  if (draft.zone === 'utc') return { kind: 'utc' };
  if (draft.zone === 'local') return localZone === 'UTC' ? { kind: 'utc' } : { kind: 'iana', name: localZone };
  const minutes = parseOffset(draft.offset);
  return minutes === undefined ? undefined : { kind: 'offset', minutes };
}

export type InstantReading = { ok: true; ms: number; wall: WallTime; adjustment?: WallAdjustment; zone: TimeZoneChoice } | { ok: false; errors: DraftErrors };

/** The instant the time field names in the chosen zone. */
export function readInstant(draft: TargetDraft, localZone: string): InstantReading {
  const errors: DraftErrors = {};
  const zone = zoneOf(draft, localZone);
  if (!zone) errors.offset = 'Expected an offset from UTC such as +05:30 or -03:00 (at most ±14:00).';
  const wall = parseWall(draft.time);
  if (!draft.time.trim()) errors.time = 'Required: the time to restore to, e.g. 2026-11-25T14:03:07.';
  else if (!wall) errors.time = 'Expected a date and time with seconds: YYYY-MM-DDTHH:MM:SS, e.g. 2026-11-25T14:03:07 (milliseconds may follow: .250).';
  if (!zone || !wall) return { ok: false, errors };
  const { ms, adjustment } = instantOf(wall, zone);
  return { ok: true, ms, wall, adjustment, zone };
}

const LSN = /^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/;

export type DraftResult = { ok: true; target: RestoreTarget } | { ok: false; errors: DraftErrors };

export function draftToTarget(draft: TargetDraft, localZone: string): DraftResult {
  let target: RestoreTarget;
  switch (draft.kind) {
    case 'time': {
      const reading = readInstant(draft, localZone);
      if (!reading.ok) return reading;
      target = { kind: 'time', time: isoWithOffset(reading.ms, reading.zone), inclusive: draft.inclusive };
      break;
    }
    case 'lsn': {
      const lsn = draft.lsn.trim();
      if (!lsn) return { ok: false, errors: { lsn: 'Required: a WAL location such as 0/3000148.' } };
      if (!LSN.test(lsn)) return { ok: false, errors: { lsn: 'Expected an LSN such as 0/3000148 (two hexadecimal numbers with a slash).' } };
      target = { kind: 'lsn', lsn: lsn.toUpperCase(), inclusive: draft.inclusive };
      break;
    }
    case 'name':
      if (!draft.name) return { ok: false, errors: { name: 'Choose a restore point.' } };
      target = { kind: 'name', name: draft.name };
      break;
    case 'latest':
      target = { kind: 'latest' };
      break;
    case 'immediate':
      if (!draft.backupId) return { ok: false, errors: { backup: 'Choose a backup.' } };
      target = { kind: 'immediate', backupId: draft.backupId };
      break;
    case 'xid': {
      const xid = draft.xid.trim();
      if (!/^[1-9]\d{0,9}$/.test(xid)) return { ok: false, errors: { xid: 'Expected a transaction id such as 745 (Find the moment gives them).' } };
      target = { kind: 'xid', xid, inclusive: draft.inclusive, ...(draft.commitLsn ? { commitLsn: draft.commitLsn } : {}) };
      break;
    }
  }
  // The door applies the same schema; checking here keeps a refusal next to the field, not in a banner.
  const parsed = restoreTargetSchema.safeParse(target);
  const field = draft.kind === 'lsn' ? 'lsn' : draft.kind === 'name' ? 'name' : draft.kind === 'immediate' ? 'backup' : draft.kind === 'xid' ? 'xid' : 'time';
  if (!parsed.success) return { ok: false, errors: { [field]: parsed.error.issues[0]?.message ?? 'Not a valid target.' } };
  return { ok: true, target };
}

/** How the form describes a target it sent, e.g. for the result's heading. */
export function describeTarget(target: RestoreTarget): string {
  switch (target.kind) {
    case 'time':
      return `${target.inclusive === false ? 'just before' : 'up to and including'} ${target.time}`;
    case 'lsn':
      return `${target.inclusive === false ? 'just before' : 'up to and including'} LSN ${target.lsn}`;
    case 'name':
      return `restore point "${target.name}"`;
    case 'latest':
      return 'the latest archived transaction';
    case 'immediate':
      return `the end of backup ${target.backupId}`;
    case 'xid':
      return `${target.inclusive === false ? 'just before' : 'just after'} transaction ${target.xid} commits`;
  }
}
