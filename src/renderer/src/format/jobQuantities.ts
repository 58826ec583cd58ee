// Job progress in words: "1.2 GB of 4.0 GB", "35 MB/s", "3 of 12 files".
import type { JobProgress } from '../../../shared/jobs';

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

function formatAmount(value: number, unit: JobProgress['unit']): string {
  switch (unit) {
    case 'bytes':
      return formatBytes(value);
    case 'percent':
      return `${Math.round(value)}%`;
    case 'files':
      return `${value} ${value === 1 ? 'file' : 'files'}`;
    case 'steps':
      return `${value} ${value === 1 ? 'step' : 'steps'}`;
    default:
      return String(value);
  }
}

/** "1.2 GB of 4.0 GB", or just the amount done when the total is unknown. */
export function formatDoneOfTotal(progress: JobProgress): string | undefined {
  const { done, total, unit } = progress;
  if (done === undefined) return undefined;
  if (unit === 'percent') return formatAmount(done, unit);
  if (total === undefined) return formatAmount(done, unit);
  if (unit === 'files' || unit === 'steps') return `${done} of ${formatAmount(total, unit)}`;
  return `${formatAmount(done, unit)} of ${formatAmount(total, unit)}`;
}

export function formatRate(progress: JobProgress): string | undefined {
  const { rate, unit } = progress;
  if (rate === undefined) return undefined;
  if (unit === 'bytes') return `${formatBytes(rate)}/s`;
  if (unit === 'percent') return `${rate.toFixed(1)}%/s`;
  return `${rate.toFixed(1)} ${unit ?? 'units'}/s`;
}

/** A 0–100 fraction for the progress bar, or undefined when the job cannot tell. */
export function progressPercent(progress: JobProgress): number | undefined {
  const { done, total, unit } = progress;
  if (done === undefined) return undefined;
  if (unit === 'percent') return Math.min(100, Math.max(0, done));
  if (!total) return undefined;
  return Math.min(100, Math.max(0, (done / total) * 100));
}
