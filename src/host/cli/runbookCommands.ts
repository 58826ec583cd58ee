// CLI commands for runbooks and the fleet report: `lifeboat runbook ...`, `lifeboat report ...`.
// With --out the document is written there atomically (a PDF through a job that Ctrl+C cancels); without it
// Markdown and HTML go to stdout.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Core } from '../../core/api';
import { LifeboatError } from '../../core/lifeboatError';
import type { Job } from '../../shared/jobs';
import type { DocumentSelector, ExportedDocument, RenderedDocument } from '../../shared/runbookContract';
import type { Output } from './cliOutput';
import { call } from './callCore';
import { finishJob } from './followJob';
import { RUNBOOK_USAGE } from './commandUsage';
import type { CommandRun } from './commandCatalog';
import { tablespaceMappingFrom } from './cliArgs';
import { withCore } from './coreSession';

export async function runbookCommand(core: Core, command: string, args: string[], out: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { all: { type: 'boolean' }, format: { type: 'string' }, out: { type: 'string' }, days: { type: 'string' }, 'server-key-file': { type: 'string' }, 'tablespace-mapping': { type: 'string', multiple: true } },
    allowPositionals: true,
  });
  const format = values.format ?? (values.out?.match(/\.(md|html|pdf)$/)?.[1] as string | undefined) ?? 'md';
  if (!['md', 'html', 'pdf'].includes(format)) throw new LifeboatError('INVALID_INPUT', `Unknown format: ${format}`, 'Use --format md, html or pdf.');
  let document: DocumentSelector;
  if (command === 'report') {
    const days = values.days === undefined ? 30 : Number(values.days);
    if (!Number.isInteger(days) || days < 1) throw new LifeboatError('INVALID_INPUT', `--days must be a whole number of days, not ${values.days}.`, 'e.g. --days 30');
    document = { kind: 'report', days };
  } else if (values.all) {
    if (positionals.length) throw new LifeboatError('INVALID_INPUT', 'Give a service or --all, not both.', RUNBOOK_USAGE);
    document = { kind: 'runbooks' };
  } else {
    if (positionals.length !== 1) throw new LifeboatError('INVALID_INPUT', 'Name one service, or --all.', RUNBOOK_USAGE);
    document = { kind: 'runbook', serviceId: positionals[0]! };
  }
  const serverKeyFile = values['server-key-file'];
  const tablespaceMapping = tablespaceMappingFrom(values['tablespace-mapping']);
  if (!values.out) {
    if (format === 'pdf') throw new LifeboatError('INVALID_INPUT', 'A PDF needs a file: add --out <file.pdf>.', RUNBOOK_USAGE);
    const r = await call<RenderedDocument>(core, 'runbooks.render', { document, format, ...(serverKeyFile ? { serverKeyFile } : {}), ...(tablespaceMapping ? { tablespaceMapping } : {}) });
    if (out.json) out.result(r, () => '');
    else process.stdout.write(r.content.endsWith('\n') ? r.content : r.content + '\n');
    return 0;
  }
  const input = { document, path: resolve(values.out), ...(serverKeyFile ? { serverKeyFile } : {}), ...(tablespaceMapping ? { tablespaceMapping } : {}) };
  const wrote = (r: ExportedDocument) => `Wrote ${r.path} (${r.bytes} bytes, ${format}, generated ${r.generatedAt})`;
  // A PDF is a job (Chromium prints it): progress on stderr, Ctrl+C cancels and leaves no file.
  if (format === 'pdf') return finishJob(core, out, await call<Job>(core, 'runbooks.exportPdf', input), (job) => wrote(job.result as ExportedDocument), (job) => job.result);
  const r = await call<ExportedDocument>(core, 'runbooks.export', { ...input, format });
  out.result(r, () => wrote(r));
  return 0;
}

export async function run(r: CommandRun): Promise<number> {
  return withCore(r, (core) => runbookCommand(core, r.command, r.args, r.out));
}
