// The runbooks slice of the contract: per-service runbooks and the fleet report, previewed and exported.
// Merged into methodInputs / MethodOutputs by contract.ts.
import { z } from 'zod';
import { serviceIdSchema } from './domain';
import type { Job } from './jobs';

/** A tablespace's original location → where the printed restore puts it (pg_basebackup's spelling). */
const tablespaceMapping = z.record(z.string().min(1).max(4096), z.string().min(1).max(4096));

/** What to write: one service's runbook, every service's runbooks in one document, or the fleet report. */
export const documentSelectorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('runbook'), serviceId: serviceIdSchema }).strict(),
  z.object({ kind: z.literal('runbooks') }).strict(),
  z.object({ kind: z.literal('report'), days: z.number().int().min(1).max(366).default(30) }).strict(),
]);
export type DocumentSelector = z.input<typeof documentSelectorSchema>;

export const DOCUMENT_FORMATS = ['md', 'html', 'pdf'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/** Where the repository key file sits on the database servers (restore_command reads it there); default
 * LIFEBOAT_SERVER_KEY_FILE or /etc/lifeboat/repo.key. */
const serverKeyFile = z.string().min(1).max(1024).regex(/^\//, 'an absolute path on the database server');

export const runbookMethodInputs = {
  /** Markdown or HTML text, for a preview. */
  'runbooks.render': z.object({ document: documentSelectorSchema, format: z.enum(['md', 'html']), serverKeyFile: serverKeyFile.optional(), tablespaceMapping: tablespaceMapping.optional() }).strict(),
  /**
   * The document as a Markdown or HTML file. With `path` (CLI, desktop) it is written there atomically, on the
   * computer that runs the core; without it the bytes come back base64 for the caller to save (browser mode
   * downloads them). A PDF is a job: runbooks.exportPdf.
   */
  'runbooks.export': z
    .object({ document: documentSelectorSchema, format: z.enum(['md', 'html']), path: z.string().min(1).max(4096).optional(), serverKeyFile: serverKeyFile.optional(), tablespaceMapping: tablespaceMapping.optional() })
    .strict(),
  /**
   * Starts a 'runbooks.pdf' job: gathering, Chromium (or Electron's printToPDF) printing, writing; cancelling
   * it closes the browser and writes nothing. Its result is the ExportedDocument without the bytes: with
   * `path` the file is there; without it, runbooks.pdfFile hands the bytes over.
   */
  'runbooks.exportPdf': z.object({ document: documentSelectorSchema, path: z.string().min(1).max(4096).optional(), serverKeyFile: serverKeyFile.optional(), tablespaceMapping: tablespaceMapping.optional() }).strict(),
  /** The PDF a finished runbooks.exportPdf job (without a path) printed, base64; held for 10 minutes. */
  'runbooks.pdfFile': z.object({ jobId: z.string().min(1).max(100) }).strict(),
} satisfies Record<string, z.ZodType>;

export interface RenderedDocument {
  content: string;
  /** A suggested file name, e.g. runbook-orders-2026-11-25.md. */
  fileName: string;
  mediaType: string;
  generatedAt: string;
}

export interface ExportedDocument {
  fileName: string;
  mediaType: string;
  generatedAt: string;
  bytes: number;
  /** Where it was written, when a path was given. */
  path?: string;
  /** The file's bytes, base64, when no path was given. */
  base64?: string;
}

export interface RunbookMethodOutputs {
  'runbooks.render': RenderedDocument;
  'runbooks.export': ExportedDocument;
  'runbooks.exportPdf': Job;
  'runbooks.pdfFile': ExportedDocument;
}
