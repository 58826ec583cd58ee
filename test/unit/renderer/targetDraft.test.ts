// The restore form sends what the DBA meant: a typed Berlin time leaves with its offset, never zone-less.
import { describe, expect, it } from 'vitest';
import { restoreTargetSchema } from '../../../src/shared/contract';
import { draftToTarget, EMPTY_DRAFT, readInstant } from '../../../src/renderer/src/pages/recovery/targetDraft';

const draft = (change: Partial<typeof EMPTY_DRAFT>) => ({ ...EMPTY_DRAFT, ...change });

describe('draftToTarget', () => {
  it("sends a time on this computer's clock with the offset in force that day", () => {
    expect(draftToTarget(draft({ time: '2026-11-25T14:03:07' }), 'Europe/Berlin')).toEqual({ ok: true, target: { kind: 'time', time: '2026-11-25T14:03:07+01:00', inclusive: true } });
    expect(draftToTarget(draft({ time: '2026-07-01 14:03:07', inclusive: false }), 'Europe/Berlin')).toEqual({ ok: true, target: { kind: 'time', time: '2026-07-01T14:03:07+02:00', inclusive: false } });
  });

  it('sends UTC and fixed offsets as chosen', () => {
    expect(draftToTarget(draft({ time: '2026-11-25T14:03:07', zone: 'utc' }), 'Europe/Berlin')).toMatchObject({ target: { time: '2026-11-25T14:03:07+00:00' } });
    expect(draftToTarget(draft({ time: '2026-11-25T14:03:07', zone: 'offset', offset: '-03:30' }), 'Europe/Berlin')).toMatchObject({ target: { time: '2026-11-25T14:03:07-03:30' } });
  });

  it('produces only targets the contract accepts', () => {
    const result = draftToTarget(draft({ time: '2026-03-29T02:30:00' }), 'Europe/Berlin');
    if (!result.ok) throw new Error('expected a target');
    expect(restoreTargetSchema.safeParse(result.target).success).toBe(true);
  });

  it('names the field that is wrong', () => {
    expect(draftToTarget(draft({ time: '' }), 'UTC')).toMatchObject({ ok: false, errors: { time: expect.stringContaining('Required') } });
    expect(draftToTarget(draft({ time: '25.11.2026 14:03' }), 'UTC')).toMatchObject({ ok: false, errors: { time: expect.stringContaining('YYYY-MM-DDTHH:MM:SS') } });
    expect(draftToTarget(draft({ time: '2026-11-25T14:03:07', zone: 'offset', offset: 'CET' }), 'UTC')).toMatchObject({ ok: false, errors: { offset: expect.any(String) } });
    expect(draftToTarget(draft({ kind: 'lsn', lsn: '3000148' }), 'UTC')).toMatchObject({ ok: false, errors: { lsn: expect.stringContaining('0/3000148') } });
    expect(draftToTarget(draft({ kind: 'name' }), 'UTC')).toMatchObject({ ok: false, errors: { name: 'Choose a restore point.' } });
  });

  it('sends LSNs upper-cased, restore points by name, and latest as it is', () => {
    expect(draftToTarget(draft({ kind: 'lsn', lsn: ' 0/3000a48 ' }), 'UTC')).toEqual({ ok: true, target: { kind: 'lsn', lsn: '0/3000A48', inclusive: true } });
    expect(draftToTarget(draft({ kind: 'name', name: 'before_migration' }), 'UTC')).toEqual({ ok: true, target: { kind: 'name', name: 'before_migration' } });
    expect(draftToTarget(draft({ kind: 'latest' }), 'UTC')).toEqual({ ok: true, target: { kind: 'latest' } });
  });

  it('sends a transaction with its commit LSN when a finding gave it, and refuses what is not an xid', () => {
    expect(draftToTarget(draft({ kind: 'xid', xid: ' 745 ', inclusive: false, commitLsn: '0/3010F10' }), 'UTC')).toEqual({ ok: true, target: { kind: 'xid', xid: '745', inclusive: false, commitLsn: '0/3010F10' } });
    expect(draftToTarget(draft({ kind: 'xid', xid: '745' }), 'UTC')).toEqual({ ok: true, target: { kind: 'xid', xid: '745', inclusive: true } });
    expect(draftToTarget(draft({ kind: 'xid', xid: '0745' }), 'UTC')).toMatchObject({ ok: false, errors: { xid: expect.stringContaining('745') } });
  });

  it('reports a clock time the zone skips', () => {
    expect(readInstant(draft({ time: '2026-03-29T02:30:00' }), 'Europe/Berlin')).toMatchObject({ ok: true, adjustment: 'skipped', ms: Date.parse('2026-03-29T01:30:00Z') });
  });
});
