// Every job the core knows, newest first; the same rows as the jobs panel, without the limit.
import { useMemo } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { JobList } from '../../components/JobList';
import { useJobsStore } from '../../stores/jobsStore';
import { jobsNewestFirst } from '../../stores/mergeJob';
import '../../styles/page.css';

export function JobsPage() {
  const byId = useJobsStore((s) => s.byId);
  const loaded = useJobsStore((s) => s.loaded);
  const error = useJobsStore((s) => s.error);
  const jobs = useMemo(() => jobsNewestFirst(byId), [byId]);
  return (
    <div className="page">
      <div className="page__head">
        <div>
          <h1>Jobs</h1>
          <p className="page__lead">Backups, restores, drills and verifications, with their progress.</p>
        </div>
      </div>
      {error && <ErrorNotice error={error} />}
      {!loaded && !error && <p className="muted">Loading jobs…</p>}
      {loaded && jobs.length === 0 && (
        <EmptyState title="No jobs yet" testId="jobs-empty">
          When you back up, restore or run a drill, the job and its progress appear here and in the jobs panel.
        </EmptyState>
      )}
      {jobs.length > 0 && (
        <div className="panel">
          <JobList jobs={jobs} />
        </div>
      )}
    </div>
  );
}
