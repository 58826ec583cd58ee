// Jobs with their state, progress (phase, done/total with %, rate, time left) and a Cancel button while they
// can still stop; a failed job shows its error code, message and hint, a finished one what it produced.
//
// Names for end-to-end tests: list "Jobs"; each row data-testid="job-<id>" with data-state=<state> and
// data-phase=<progress phase>; button "Cancel" (data-testid="cancel-job-<id>"); a failed job's error
// data-testid="job-error-<id>"; a succeeded backup's id data-testid="job-backup-id-<id>"; a verify or restore
// job's outcome data-testid="job-result-<id>".
import type { Job, JobState } from '../../../shared/jobs';
import { formatDateTime } from '../format/dateTime';
import { formatDoneOfTotal, formatEta, formatPercent, formatRate, progressPercent } from '../format/jobQuantities';
import { backupIdOfJob, jobResultText } from '../format/jobResult';
import { serviceHref } from '../navigation/route';
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
  const { progress } = job;
  const percent = progressPercent(progress);
  const doneOfTotal = formatDoneOfTotal(progress);
  const percentText = progress.unit === 'percent' ? undefined : formatPercent(progress);
  const rate = formatRate(progress);
  const eta = job.state === 'running' ? formatEta(progress) : undefined;
  const active = job.state === 'running' || job.state === 'cancelling' || job.state === 'queued';
  const backupId = backupIdOfJob(job);
  const resultText = jobResultText(job);
  const amounts = doneOfTotal && percentText ? `${doneOfTotal} (${percentText})` : doneOfTotal;

  return (
    <li className="job" data-testid={`job-${job.id}`} data-state={job.state} data-phase={progress.phase} aria-labelledby={titleId}>
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
            className="progress-bar"
            max={100}
            value={percent}
            aria-labelledby={titleId}
            aria-valuetext={[progress.phase, amounts, rate, eta].filter(Boolean).join(', ')}
          />
          <p className="job__numbers">
            <span className="job__phase">{job.state === 'queued' ? 'Waiting for a free slot' : progress.phase}</span>
            {amounts && <span>{amounts}</span>}
            {rate && <span>{rate}</span>}
            {eta && <span>{eta}</span>}
          </p>
        </div>
      )}
      {job.error && (
        <div className="job__error" data-testid={`job-error-${job.id}`}>
          <p className="job__error-message">
            <span aria-hidden="true">✕ </span>
            <code className="job__error-code">{job.error.code}</code> {job.error.message}
          </p>
          {job.error.hint && <p className="job__error-hint">{job.error.hint}</p>}
        </div>
      )}
      {backupId && (
        <p className="job__result">
          Backup <code data-testid={`job-backup-id-${job.id}`}>{backupId}</code>
          {job.serviceId && (
            <>
              {' · '}
              <a href={serviceHref(job.serviceId, 'backups')} aria-describedby={titleId}>
                Show backups
              </a>
            </>
          )}
        </p>
      )}
      {resultText && (
        <p className="job__result" data-testid={`job-result-${job.id}`}>
          {resultText}
        </p>
      )}
    </li>
  );
}
