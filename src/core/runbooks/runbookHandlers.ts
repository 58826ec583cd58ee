// The runbooks slice of the contract (see src/shared/runbookContract.ts): gathers a document's model from the
// other slices' handlers, renders it through the templates, and for PDF hands the HTML to the door's
// PdfRenderer. Exports with a path are written atomically on the core's computer.
import { resolve } from 'node:path';
import type { Handlers } from '../../shared/contract';
import type { ExportedDocument, RenderedDocument, runbookMethodInputs } from '../../shared/runbookContract';
import type { CoreDeps } from '../coreDeps';
import { writeFileAtomic } from '../storage/atomicWrite';
import type { TemplateFormat } from './documentTemplates';
import type { RenderSettings } from './renderDocument';
import type { PdfRenderer } from './pdfRenderer';
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

  async function render(document: Selector, format: TemplateFormat, server: Pick<RenderSettings, 'serverKeyFile' | 'tablespaceMapping'>): Promise<{ content: string; generatedAt: string; title: string }> {
    if (!options) throw new Error('runbookHandlers needs the composed handlers');
    // Loaded here, not at the top: Handlebars, the templates and the document code are needed only when a
    // document is rendered, and every other command that builds a core would otherwise load them too.
    const { renderDocument } = await import('./renderDocument');
    return renderDocument(deps, document, format, { handlers: options.handlers(), templatesDir, ...server });
  }

  return {
    'runbooks.render': async ({ document, format, serverKeyFile, tablespaceMapping }): Promise<RenderedDocument> => {
      const r = await render(document as Selector, format, { serverKeyFile, tablespaceMapping });
      return { content: r.content, generatedAt: r.generatedAt, fileName: fileNameOf(document as Selector, format, r.generatedAt), mediaType: MEDIA[format] };
    },

    'runbooks.export': async ({ document, format, path, serverKeyFile, tablespaceMapping }): Promise<ExportedDocument> => {
      const r = await render(document as Selector, format === 'pdf' ? 'html' : format, { serverKeyFile, tablespaceMapping });
      const bytes = format === 'pdf' ? await (options?.pdf ?? (await defaultPdfRenderer(deps.env))).render(r.content, { title: r.title }) : new TextEncoder().encode(r.content);
      const fileName = fileNameOf(document as Selector, format, r.generatedAt);
      const base = { fileName, mediaType: MEDIA[format], generatedAt: r.generatedAt, bytes: bytes.byteLength };
      if (!path) return { ...base, base64: Buffer.from(bytes).toString('base64') };
      const target = resolve(path);
      await writeFileAtomic(target, bytes, 0o644);
      await deps.log.write({ level: 'info', event: 'runbooks.exported', detail: `${fileName} -> ${target}` });
      return { ...base, path: target };
    },
  };
}

/** Chromium through playwright-core, loaded only for a PDF the door did not offer to print itself. */
async function defaultPdfRenderer(env: NodeJS.ProcessEnv): Promise<PdfRenderer> {
  const { chromiumPdfRenderer } = await import('./chromiumPdfRenderer');
  return chromiumPdfRenderer(env);
}
