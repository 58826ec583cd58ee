// How a compliance level reads: a tone for the badge and a word, so the status never rests on colour alone.
import type { ComplianceLevel } from '../../../../shared/monitoring';
import type { StatusTone } from '../../components/StatusBadge';

export const LEVEL_TONE: Record<ComplianceLevel, StatusTone> = { ok: 'ok', warning: 'warn', breach: 'error', unknown: 'untested' };
export const LEVEL_WORD: Record<ComplianceLevel, string> = { ok: 'OK', warning: 'Attention', breach: 'Breach', unknown: 'Unknown' };

export function percentText(rate: number | null): string {
  return rate === null ? 'no runs' : `${Math.round(rate * 1000) / 10} %`;
}
