// PDFs a runbooks.pdf job printed for a caller that saves them itself (browser mode and the desktop app
// download them): held in memory by job id for a few minutes, not in the job's result, so the job journal
// and every job.changed event stay small.
import type { ExportedDocument } from '../../shared/runbookContract';

const HOLD_MS = 10 * 60_000;
/** The newest few only: an export nobody fetched must not hold memory for long. */
const MOST = 8;

export class PrintedPdfs {
  private held = new Map<string, { doc: ExportedDocument; timer: NodeJS.Timeout }>();

  hold(jobId: string, doc: ExportedDocument): void {
    const timer = setTimeout(() => this.held.delete(jobId), HOLD_MS);
    timer.unref();
    this.held.set(jobId, { doc, timer });
    for (const [id, entry] of this.held) {
      if (this.held.size <= MOST) break;
      clearTimeout(entry.timer);
      this.held.delete(id);
    }
  }

  get(jobId: string): ExportedDocument | undefined {
    return this.held.get(jobId)?.doc;
  }
}
