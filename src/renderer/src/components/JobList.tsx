// Jobs with their state, progress (phase, done/total, rate) and a Cancel button while they can still stop.
import type { Job, JobState } from '../../../shared/jobs';
import { formatDateTime } from '../format/dateTime';
import { formatDoneOfTotal, formatRate, progressPercent } from '../format/jobQuantities';
import { useJobsStore } from '../stores/jobsStore';
import { Button } from './Button';
import { StatusBadge } from './StatusBadge';
import type { StatusTone } from './StatusBadge';
import './JobList.css';

const STATE_TONE: Record<JobState, StatusTone> = {
  queued: 'untested',
  running: 'info',
  cancelling: 'warn',
  succeeded: 'ok',
  failed: 'error',
  cancelled: 'untested',
};

const STATE_TEXT: Record<JobState, string> = {
  queued: 'Queued',
  running: 'Running',
  cancelling: 'Cancelling',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const STATE_ICON: Partial<Record<JobState, string>> = { queued: '…', running: '▶', cancelling: '■', cancelled: '■' };

const CANCELLABLE: readonly JobState[] = ['queued', 'running'];

export function JobList({ jobs }: { jobs: Job[] }) {
  return (
    <ul className="plain-list job-list" aria-label="Jobs">
      {jobs.map((job) => (
        <JobItem key={job.id} job={job} />
      ))}
    </ul>
  );
}

function JobItem({ job }: { job: Job }) {
  const cancel = useJobsStore((s) => s.cancel);
  const titleId = `job-title-${job.id}`;
  const percent = progressPercent(job.progress);
  const doneOfTotal = formatDoneOfTotal(job.progress);
  const rate = formatRate(job.progress);
  const active = job.state === 'running' || job.state === 'cancelling' || job.state === 'queued';

  return (
    <li className="job" data-testid={`job-${job.id}`} data-state={job.state} aria-labelledby={titleId}>
      <div className="job__head">
        <span className="job__title" id={titleId}>
          {job.title}
        </span>
        <StatusBadge tone={STATE_TONE[job.state]} icon={STATE_ICON[job.state]}>
          {STATE_TEXT[job.state]}
        </StatusBadge>
        {job.serviceId && <span className="job__service mono">{job.serviceId}</span>}
        <span className="job__time muted">
          <time dateTime={job.createdAt}>{formatDateTime(job.createdAt)}</time>
        </span>
        {CANCELLABLE.includes(job.state) && (
          <Button size="sm" onClick={() => void cancel(job.id)} aria-describedby={titleId} data-testid={`cancel-job-${job.id}`}>
            Cancel
          </Button>
        )}
      </div>
      {active && (
        <div className="job__progress">
          <progress
            className="job__bar"
            max={100}
            value={percent}
            aria-labelledby={titleId}
            aria-valuetext={[job.progress.phase, doneOfTotal, rate].filter(Boolean).join(', ')}
          />
          <p className="job__numbers">
            <span>{job.progress.phase}</span>
            {doneOfTotal && <span>{doneOfTotal}</span>}
            {rate && <span>{rate}</span>}
          </p>
        </div>
      )}
      {job.error && (
        <p className="job__error">
          <code>{job.error.code}</code> {job.error.message} <span className="muted">{job.error.hint}</span>
        </p>
      )}
    </li>
  );
}
