// The collapsible jobs panel under every page: a live summary line and the most recent jobs.
import { useId, useMemo, useState } from 'react';
import { ErrorNotice } from '../components/ErrorNotice';
import { JobList } from '../components/JobList';
import { pageHref } from '../navigation/route';
import { useJobsStore } from '../stores/jobsStore';
import { jobsNewestFirst } from '../stores/mergeJob';
import type { Job } from '../../../shared/jobs';
import './JobsPanel.css';

const RECENT = 5;

function summarize(jobs: Job[]): string {
  if (jobs.length === 0) return 'No jobs yet';
  const count = (states: Job['state'][]) => jobs.filter((j) => states.includes(j.state)).length;
  const parts = [
    [count(['running', 'cancelling']), 'running'],
    [count(['queued']), 'queued'],
    [count(['failed']), 'failed'],
  ] as const;
  const text = parts.filter(([n]) => n > 0).map(([n, word]) => `${n} ${word}`);
  return text.length ? text.join(' · ') : `${jobs.length} finished`;
}

export function JobsPanel() {
  const [open, setOpen] = useState(true);
  const bodyId = useId();
  const byId = useJobsStore((s) => s.byId);
  const loaded = useJobsStore((s) => s.loaded);
  const error = useJobsStore((s) => s.error);
  const jobs = useMemo(() => jobsNewestFirst(byId), [byId]);
  const summary = summarize(jobs);

  return (
    <section className={`jobs-panel${open ? ' jobs-panel--open' : ''}`} aria-label="Jobs panel" data-testid="jobs-panel">
      <div className="jobs-panel__bar">
        <button type="button" className="jobs-panel__toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen(!open)}>
          <span className="jobs-panel__chevron" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
          Jobs
        </button>
        {/* Announces state changes (a job starts, fails, finishes) without reading every progress tick. */}
        <span className="jobs-panel__summary muted" aria-live="polite" data-testid="jobs-summary">
          {loaded ? summary : 'Loading jobs…'}
        </span>
        {jobs.length > RECENT && (
          <a className="jobs-panel__all" href={pageHref('jobs')}>
            All {jobs.length} jobs
          </a>
        )}
      </div>
      <div id={bodyId} className="jobs-panel__body" hidden={!open}>
        {error && <ErrorNotice error={error} />}
        {loaded && jobs.length === 0 && !error && <p className="muted">No jobs yet. Backups, restores and drills will show their progress here.</p>}
        {jobs.length > 0 && <JobList jobs={jobs.slice(0, RECENT)} />}
      </div>
    </section>
  );
}
