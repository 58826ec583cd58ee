// Job progress in words: "1.2 GiB of 4.0 GiB", "35.2 MiB/s", "3 of 12 files", "about 2 min left".
import type { JobProgress } from '../../../shared/jobs';
import { formatDuration } from './duration';

// Binary units, named as such: a DBA compares them with df -h and pg_size_pretty, which count in 1024s.
const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
const MIB = 1024 * 1024;

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

/** "1.2 GiB of 4.0 GiB", or just the amount done when the total is unknown. */
export function formatDoneOfTotal(progress: JobProgress): string | undefined {
  const { done, total, unit } = progress;
  if (done === undefined) return undefined;
  if (unit === 'percent') return formatAmount(done, unit);
  if (total === undefined) return formatAmount(done, unit);
  if (unit === 'files' || unit === 'steps') return `${done} of ${formatAmount(total, unit)}`;
  return `${formatAmount(done, unit)} of ${formatAmount(total, unit)}`;
}

/** Byte rates always in MiB/s, so two backups' speeds compare at a glance. */
export function formatRate(progress: JobProgress): string | undefined {
  const { rate, unit } = progress;
  if (rate === undefined) return undefined;
  if (unit === 'bytes') {
    const mib = rate / MIB;
    return `${mib < 1 ? mib.toFixed(2) : mib < 100 ? mib.toFixed(1) : mib.toFixed(0)} MiB/s`;
  }
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

/** "42%" beside the amounts; whole numbers, except that unfinished work never reads 100%. */
export function formatPercent(progress: JobProgress): string | undefined {
  const percent = progressPercent(progress);
  if (percent === undefined) return undefined;
  const shown = Math.floor(percent);
  return `${percent < 100 && shown === 100 ? 99 : shown}%`;
}

/** Time left at the current rate ("about 2 min 5 s left"), only when both the total and the rate are known. */
export function formatEta(progress: JobProgress): string | undefined {
  const { done, total, rate, unit } = progress;
  if (done === undefined || total === undefined || rate === undefined || rate <= 0 || unit === 'percent') return undefined;
  const remaining = Math.max(0, total - done);
  if (remaining === 0) return undefined;
  const seconds = remaining / rate;
  if (seconds < 1) return 'less than a second left';
  return `about ${formatDuration(Math.ceil(seconds) * 1000)} left`;
}
