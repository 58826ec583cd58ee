// A PDF export from the page: starts the runbooks.pdf job, follows it through the jobs store (the same
// job.changed events the jobs panel shows, so it can be cancelled there too) and fetches the file once the
// job succeeded.
import { FINAL_JOB_STATES, type Job } from '../../../../shared/jobs';
import type { DocumentSelector, ExportedDocument } from '../../../../shared/runbookContract';
import { appClient } from '../../client/appClient';
import { useJobsStore } from '../../stores/jobsStore';

/** The PDF once its job succeeded, or undefined when it was cancelled; rejects with the job's error. */
export async function exportPdf(document: DocumentSelector, onJob: (job: Job) => void): Promise<ExportedDocument | undefined> {
  const started = await appClient().call('runbooks.exportPdf', { document });
  useJobsStore.getState().remember([started]);
  const final = await new Promise<Job>((resolve) => {
    let seen: Job | undefined;
    const follow = (job: Job | undefined): boolean => {
      if (!job || job === seen) return false;
      seen = job;
      onJob(job);
      if (!FINAL_JOB_STATES.includes(job.state)) return false;
      resolve(job);
      return true;
    };
    if (follow(useJobsStore.getState().byId[started.id])) return;
    const unsubscribe = useJobsStore.subscribe((s) => {
      if (follow(s.byId[started.id])) unsubscribe();
    });
  });
  if (final.state === 'cancelled') return undefined;
  if (final.state === 'failed') throw final.error ?? { code: 'INTERNAL', message: `${final.title} failed.`, hint: 'See the jobs page.' };
  return appClient().call('runbooks.pdfFile', { jobId: final.id });
}
