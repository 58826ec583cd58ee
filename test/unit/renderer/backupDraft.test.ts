// The backup dialog's choices become exactly the backups.start input the core expects, and bad ones are named.
import { describe, expect, it } from 'vitest';
import { parseInput } from '../../../src/shared/contract';
import {
  backupDraftErrors,
  backupStartInput,
  initialBackupDraft,
  withService,
} from '../../../src/renderer/src/pages/backups/backupDraft';

const ALL = ['billing', 'orders', 'payments'];

describe('initialBackupDraft', () => {
  it('starts physical, zstd, fast checkpoint, no rate limit, with the row it was opened from', () => {
    expect(initialBackupDraft(['orders'])).toEqual({ serviceIds: ['orders'], kind: 'physical', compression: 'zstd', fastCheckpoint: true, maxRate: '' });
  });
});

describe('withService', () => {
  it('ticks and unticks, keeping the fleet order', () => {
    let draft = initialBackupDraft(['payments']);
    draft = withService(draft, ALL, 'billing', true);
    expect(draft.serviceIds).toEqual(['billing', 'payments']);
    draft = withService(draft, ALL, 'billing', true);
    expect(draft.serviceIds).toEqual(['billing', 'payments']);
    draft = withService(draft, ALL, 'payments', false);
    expect(draft.serviceIds).toEqual(['billing']);
  });
});

describe('backupStartInput', () => {
  it('sends checkpoint and max rate for a physical backup', () => {
    const input = backupStartInput({ serviceIds: ['orders'], kind: 'physical', compression: 'gzip', fastCheckpoint: false, maxRate: ' 50M ' });
    expect(input).toEqual({ serviceIds: ['orders'], kind: 'physical', compression: 'gzip', checkpoint: 'spread', maxRate: '50M' });
    expect(parseInput('backups.start', input).ok).toBe(true);
  });

  it('leaves the rate out when empty', () => {
    expect(backupStartInput(initialBackupDraft(['orders']))).toEqual({ serviceIds: ['orders'], kind: 'physical', compression: 'zstd', checkpoint: 'fast' });
  });

  it("sends neither checkpoint nor rate for a logical backup (they are pg_basebackup's)", () => {
    const input = backupStartInput({ serviceIds: ['orders', 'billing'], kind: 'logical', compression: 'none', fastCheckpoint: false, maxRate: '50M' });
    expect(input).toEqual({ serviceIds: ['orders', 'billing'], kind: 'logical', compression: 'none' });
  });
});

describe('backupDraftErrors', () => {
  it('accepts a complete draft', () => {
    expect(backupDraftErrors({ ...initialBackupDraft(['orders']), maxRate: '32k' })).toEqual({});
  });

  it('asks for at least one service', () => {
    expect(backupDraftErrors(initialBackupDraft([]))).toEqual({ serviceIds: 'Choose at least one service.' });
  });

  it('names a rate pg_basebackup would not understand', () => {
    expect(backupDraftErrors({ ...initialBackupDraft(['orders']), maxRate: '50 MB/s' }).maxRate).toMatch(/50M/);
  });

  it('ignores a bad rate on a logical backup, which does not send it', () => {
    expect(backupDraftErrors({ ...initialBackupDraft(['orders']), kind: 'logical', maxRate: 'fast' })).toEqual({});
  });
});
