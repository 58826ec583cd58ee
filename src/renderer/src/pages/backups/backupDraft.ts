// The backup wizard's choices, their check against the contract's schema, and the backups.start input they make.
import type { MethodInput } from '../../../../shared/contract';
import { fieldErrorsFor } from '../../client/fieldErrors';

export type BackupKind = 'physical' | 'logical';
export type BackupCompression = 'zstd' | 'gzip' | 'none';

export interface BackupDraft {
  serviceIds: string[];
  kind: BackupKind;
  compression: BackupCompression;
  fastCheckpoint: boolean;
  /** pg_basebackup --max-rate as typed ("50M", "32k"); empty for no limit. Physical only. */
  maxRate: string;
}

export type BackupDraftErrors = Partial<Record<'serviceIds' | 'maxRate', string>>;

export function initialBackupDraft(preselected: readonly string[] = []): BackupDraft {
  return { serviceIds: [...preselected], kind: 'physical', compression: 'zstd', fastCheckpoint: true, maxRate: '' };
}

/** Adds or removes one service, keeping the order in which `all` lists them. */
export function withService(draft: BackupDraft, all: readonly string[], id: string, selected: boolean): BackupDraft {
  const chosen = new Set(draft.serviceIds);
  if (selected) chosen.add(id);
  else chosen.delete(id);
  return { ...draft, serviceIds: all.filter((s) => chosen.has(s)) };
}

/** Checkpoint and max rate are pg_basebackup's options: a logical backup sends neither. */
export function backupStartInput(draft: BackupDraft): MethodInput<'backups.start'> {
  const maxRate = draft.maxRate.trim();
  return {
    serviceIds: draft.serviceIds,
    kind: draft.kind,
    compression: draft.compression,
    ...(draft.kind === 'physical' ? { checkpoint: draft.fastCheckpoint ? ('fast' as const) : ('spread' as const) } : {}),
    ...(draft.kind === 'physical' && maxRate ? { maxRate } : {}),
  };
}

export function backupDraftErrors(draft: BackupDraft): BackupDraftErrors {
  const raw = fieldErrorsFor('backups.start', backupStartInput(draft));
  const errors: BackupDraftErrors = {};
  for (const path of Object.keys(raw)) {
    if (path.startsWith('serviceIds')) errors.serviceIds = draft.serviceIds.length ? 'At most 100 services at a time.' : 'Choose at least one service.';
    if (path === 'maxRate') errors.maxRate = 'A whole number with an optional unit, such as 50M (MB/s) or 32k (kB/s).';
  }
  return errors;
}
