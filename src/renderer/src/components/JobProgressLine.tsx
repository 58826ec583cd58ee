// A job followed in place (a point-in-time restore, a drill, a copy): spinner, phase, amounts and a bar,
// the same numbers as the jobs panel.
import type { Job } from '../../../shared/jobs';
import { formatDoneOfTotal, formatPercent, progressPercent } from '../format/jobQuantities';
import './JobProgressLine.css';

export interface JobProgressLineProps {
  job: Job;
  /** Names the progress bar, e.g. "Restore progress". */
  label: string;
  /** What the job does, before its phase: "Restoring". */
  verb: string;
}

export function JobProgressLine({ job, label, verb }: JobProgressLineProps) {
  const { progress, state } = job;
  const amounts = formatDoneOfTotal(progress);
  const percent = progress.unit === 'percent' ? undefined : formatPercent(progress);
  return (
    <div className="job-progress-line">
      <p className="job-progress-line__text">
        <span className="spinner" aria-hidden="true" />
        <span>{state === 'queued' ? 'Waiting for a free slot…' : state === 'cancelling' ? 'Cancelling…' : `${verb} — ${progress.phase}`}</span>
        {amounts && <span className="muted">{percent ? `${amounts} (${percent})` : amounts}</span>}
      </p>
      <progress className="progress-bar" max={100} value={progressPercent(progress)} aria-label={label} />
    </div>
  );
}
