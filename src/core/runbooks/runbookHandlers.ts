// The runbooks slice of the contract (see src/shared/runbookContract.ts): gathers a document's model from the
// other slices' handlers and renders it through the templates; a PDF is a cancellable job that hands the HTML
// to the door's PdfRenderer. Exports with a path are written atomically on the core's computer.
import { resolve } from 'node:path';
import type { Handlers } from '../../shared/contract';
import type { DocumentFormat, ExportedDocument, RenderedDocument, runbookMethodInputs } from '../../shared/runbookContract';
import type { CoreDeps } from '../coreDeps';
import { LifeboatError } from '../lifeboatError';
import { writeFileAtomic } from '../storage/atomicWrite';
import type { TemplateFormat } from './documentTemplates';
import type { RenderSettings } from './renderDocument';
import type { PdfRenderer } from './pdfRenderer';
import type { PrintedPdfs } from './printedPdfs';
import type { Selector } from './renderDocument';

type RunbookHandlers = Pick<Handlers, keyof typeof runbookMethodInputs>;

export interface RunbookOptions {
  /** The composed handlers of the whole core (read lazily: they are built after this slice). */
  handlers: () => Handlers;
  /** Default: Chromium through playwright-core; the desktop app passes Electron's printToPDF. */
  pdf?: PdfRenderer;
  /** A team's template folder; default LIFEBOAT_TEMPLATES_DIR, else the built-in templates. */
  templatesDir?: string;
}

const MEDIA = { md: 'text/markdown; charset=utf-8', html: 'text/html; charset=utf-8', pdf: 'application/pdf' } as const;

export function fileNameOf(document: Selector, format: 'md' | 'html' | 'pdf', generatedAt: string): string {
  const day = generatedAt.slice(0, 10);
  const stem = document.kind === 'runbook' ? `runbook-${document.serviceId}` : document.kind === 'runbooks' ? 'runbooks' : 'fleet-report';
  return `${stem}-${day}.${format}`;
}

export function runbookHandlers(deps: CoreDeps, options?: RunbookOptions): RunbookHandlers {
  const templatesDir = options?.templatesDir ?? deps.env.LIFEBOAT_TEMPLATES_DIR;
  // Loaded with the first PDF, like the document code: a command that prints nothing never loads it.
  let printed: PrintedPdfs | undefined;
  const printedPdfs = async () => (printed ??= new (await import('./printedPdfs')).PrintedPdfs());

  async function render(document: Selector, format: TemplateFormat, server: Pick<RenderSettings, 'serverKeyFile' | 'tablespaceMapping'>): Promise<{ content: string; generatedAt: string; title: string }> {
    if (!options) throw new Error('runbookHandlers needs the composed handlers');
    // Loaded here, not at the top: Handlebars, the templates and the document code are needed only when a
    // document is rendered, and every other command that builds a core would otherwise load them too.
    const { renderDocument } = await import('./renderDocument');
    return renderDocument(deps, document, format, { handlers: options.handlers(), templatesDir, lastKnown: deps.lastKnown, ...server });
  }

  return {
    'runbooks.render': async ({ document, format, serverKeyFile, tablespaceMapping }): Promise<RenderedDocument> => {
      const r = await render(document as Selector, format, { serverKeyFile, tablespaceMapping });
      return { content: r.content, generatedAt: r.generatedAt, fileName: fileNameOf(document as Selector, format, r.generatedAt), mediaType: MEDIA[format] };
    },

    'runbooks.export': async ({ document, format, path, serverKeyFile, tablespaceMapping }): Promise<ExportedDocument> => {
      const r = await render(document as Selector, format, { serverKeyFile, tablespaceMapping });
      return deliver(document as Selector, format, r.generatedAt, new TextEncoder().encode(r.content), path);
    },

    'runbooks.exportPdf': async ({ document, path, serverKeyFile, tablespaceMapping }) => {
      const selector = document as Selector;
      if (selector.kind === 'runbook') deps.access.requireService(selector.serviceId); // refuse now, not in a job
      return deps.jobs.start({
        kind: 'runbooks.pdf',
        title: `PDF of ${selector.kind === 'runbook' ? `the runbook of ${selector.serviceId}` : selector.kind === 'runbooks' ? 'every runbook' : 'the fleet report'}`,
        serviceId: selector.kind === 'runbook' ? selector.serviceId : undefined,
        run: async (ctx): Promise<ExportedDocument> => {
          ctx.progress({ phase: 'gathering the facts' });
          // A cancel does not wait for a server that is slow to answer: what it would say is not needed.
          const r = await untilAborted(render(selector, 'html', { serverKeyFile, tablespaceMapping }), ctx.signal);
          const renderer = options?.pdf ?? (await defaultPdfRenderer(deps.env));
          const bytes = await renderer.render(r.content, { title: r.title, signal: ctx.signal, onPhase: (phase) => ctx.progress({ phase }) });
          ctx.signal.throwIfAborted();
          if (path) ctx.progress({ phase: `writing ${resolve(path)}` });
          const { base64, ...doc } = await deliver(selector, 'pdf', r.generatedAt, bytes, path);
          if (base64) (await printedPdfs()).hold(ctx.jobId, { ...doc, base64 });
          return doc;
        },
      });
    },

    'runbooks.pdfFile': async ({ jobId }) => {
      const doc = printed?.get(jobId);
      if (doc) return doc;
      const job = deps.jobs.get(jobId);
      if (job.kind !== 'runbooks.pdf') throw new LifeboatError('INVALID_INPUT', `Job ${jobId} is a ${job.kind} job, not a PDF export.`, 'Pass the id of a runbooks.pdf job.');
      if (job.state !== 'succeeded') throw new LifeboatError('CONFLICT', `The PDF export ${jobId} has not succeeded (it is ${job.state}).`, 'Wait for the job to succeed, or export the PDF again.');
      const written = (job.result as ExportedDocument | undefined)?.path;
      throw new LifeboatError('NOT_FOUND', written ? `The PDF of job ${jobId} was written to ${written}.` : `The PDF of job ${jobId} is no longer held (PDFs are kept 10 minutes).`, written ? 'Open that file.' : 'Export the PDF again.');
    },
  };

  /** Written atomically at path on the core's computer, or returned base64 for the caller to save. */
  async function deliver(document: Selector, format: DocumentFormat, generatedAt: string, bytes: Uint8Array, path: string | undefined): Promise<ExportedDocument> {
    const fileName = fileNameOf(document, format, generatedAt);
    const base = { fileName, mediaType: MEDIA[format], generatedAt, bytes: bytes.byteLength };
    if (!path) return { ...base, base64: Buffer.from(bytes).toString('base64') };
    const target = resolve(path);
    await writeFileAtomic(target, bytes, 0o644);
    await deps.log.write({ level: 'info', event: 'runbooks.exported', detail: `${fileName} -> ${target}` });
    return { ...base, path: target };
  }
}

/** The promise's value, or the signal's reason as soon as it is aborted. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Chromium through playwright-core, loaded only for a PDF the door did not offer to print itself. */
async function defaultPdfRenderer(env: NodeJS.ProcessEnv): Promise<PdfRenderer> {
  const { chromiumPdfRenderer } = await import('./chromiumPdfRenderer');
  return chromiumPdfRenderer(env);
}
