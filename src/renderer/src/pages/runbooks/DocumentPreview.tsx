// A generated document (a runbook, all runbooks, the fleet report): a live preview of its HTML and export
// buttons for Markdown, HTML and PDF.
//
// A PDF is printed by a job: its progress shows under the toolbar with "Cancel PDF".
//
// Names for end-to-end tests: region "Preview" (data-testid="document-preview"), buttons "Refresh",
// "Export Markdown" / "Export HTML" / "Export PDF" (data-testid="export-md|html|pdf"), "Cancel PDF"
// (data-testid="export-pdf-cancel"), the outcome in data-testid="export-status", errors
// data-testid="document-error".
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { WireError } from '../../../../shared/errors';
import { FINAL_JOB_STATES, type Job } from '../../../../shared/jobs';
import type { DocumentFormat, DocumentSelector, RenderedDocument } from '../../../../shared/runbookContract';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { ErrorNotice } from '../../components/ErrorNotice';
import { JobProgressLine } from '../../components/JobProgressLine';
import { useJobsStore } from '../../stores/jobsStore';
import { downloadDocument } from './documentDownload';
import { exportPdf } from './pdfExport';
import { sanitizedBody } from './sanitizeDocument';
import './DocumentPreview.css';

const FORMAT_LABEL: Record<DocumentFormat, string> = { md: 'Markdown', html: 'HTML', pdf: 'PDF' };

export function DocumentPreview({ document, label }: { document: DocumentSelector; label: string }) {
  const [rendered, setRendered] = useState<RenderedDocument>();
  const [error, setError] = useState<WireError>();
  const [loading, setLoading] = useState(false);
  const [exporting, setExporting] = useState<DocumentFormat>();
  const [status, setStatus] = useState<string>();
  const [pdfJob, setPdfJob] = useState<Job>();
  const key = JSON.stringify(document);

  const load = useCallback(
    (signal?: AbortSignal) => {
      setLoading(true);
      setError(undefined);
      appClient()
        .call('runbooks.render', { document: JSON.parse(key) as DocumentSelector, format: 'html' }, { signal })
        .then(
          (r) => setRendered(r),
          (err: unknown) => {
            if (!signal?.aborted) setError(toWireError(err));
          },
        )
        .finally(() => {
          if (!signal?.aborted) setLoading(false);
        });
    },
    [key],
  );

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const body = useMemo(() => (rendered ? sanitizedBody(rendered.content) : ''), [rendered]);

  async function exportAs(format: DocumentFormat) {
    setExporting(format);
    setStatus(undefined);
    setError(undefined);
    try {
      const selector = JSON.parse(key) as DocumentSelector;
      const doc = format === 'pdf' ? await exportPdf(selector, setPdfJob) : await appClient().call('runbooks.export', { document: selector, format });
      if (!doc) {
        setStatus('PDF export cancelled: nothing was saved.');
        return;
      }
      downloadDocument(doc);
      setStatus(`Saved ${doc.fileName} (${Math.max(1, Math.round(doc.bytes / 1024))} KB, generated ${doc.generatedAt.replace('T', ' ').slice(0, 19)}Z).`);
    } catch (err) {
      setError(toWireError(err));
    } finally {
      setExporting(undefined);
    }
  }

  return (
    <div className="document">
      <div className="document__toolbar" role="toolbar" aria-label={`Export ${label}`}>
        <Button size="sm" onClick={() => load()} busy={loading}>
          Refresh
        </Button>
        {(['md', 'html', 'pdf'] as const).map((f) => (
          <Button key={f} size="sm" variant={f === 'pdf' ? 'primary' : 'secondary'} busy={exporting === f} onClick={() => void exportAs(f)} data-testid={`export-${f}`}>
            Export {FORMAT_LABEL[f]}
          </Button>
        ))}
        {status && (
          <span className="document__status muted" role="status" data-testid="export-status">
            {status}
          </span>
        )}
      </div>
      {pdfJob && !FINAL_JOB_STATES.includes(pdfJob.state) && (
        <div className="document__job">
          <JobProgressLine job={pdfJob} label="PDF export progress" verb="Exporting the PDF" />
          <Button size="sm" disabled={pdfJob.state === 'cancelling'} onClick={() => void useJobsStore.getState().cancel(pdfJob.id)} data-testid="export-pdf-cancel">
            Cancel PDF
          </Button>
        </div>
      )}
      {error && <ErrorNotice error={error} testId="document-error" />}
      {!rendered && loading && <p className="muted">Reading the fleet and writing the document…</p>}
      {rendered && (
        <section className="document-preview" aria-label="Preview" data-testid="document-preview" aria-busy={loading || undefined}>
          <div dangerouslySetInnerHTML={{ __html: body }} />
        </section>
      )}
    </div>
  );
}
