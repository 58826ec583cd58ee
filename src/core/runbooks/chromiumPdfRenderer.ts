// PDF through a local Chromium driven by playwright-core (CLI and browser mode). Offline by construction:
// every request the page makes is aborted (the documents carry everything inline), JavaScript is off, and
// the browser runs with background networking and component updates disabled.
import { LifeboatError } from '../lifeboatError';
import type { PdfRenderer } from './pdfRenderer';

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export function chromiumExecutable(env: NodeJS.ProcessEnv = process.env): string {
  return env.LIFEBOAT_CHROMIUM ?? '/usr/bin/chromium';
}

export function chromiumPdfRenderer(env: NodeJS.ProcessEnv = process.env): PdfRenderer {
  return {
    name: 'Chromium (playwright-core)',
    async render(html, { signal, onPhase }) {
      const { chromium } = await import('playwright-core');
      const executablePath = chromiumExecutable(env);
      signal?.throwIfAborted();
      onPhase?.('starting Chromium');
      let browser;
      try {
        // Ctrl+C is the door's: it cancels the job, which closes the browser. Playwright's own SIGINT handler
        // would kill the browser and exit 130 before the job could say it was cancelled.
        browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS, handleSIGINT: false });
      } catch (err) {
        throw new LifeboatError('TOOL_MISSING', `Cannot start Chromium at ${executablePath} to print the PDF: ${(err as Error).message.split('\n')[0]}`, 'Install Chromium, or set LIFEBOAT_CHROMIUM to its path; Markdown and HTML need no browser.');
      }
      // A cancel closes the browser: whatever it was doing (loading, printing) fails at once. One close, which
      // the end below waits for too: a second close() returns before the browser has exited.
      let closing: Promise<void> | undefined;
      const close = () => (closing ??= browser.close().catch(() => undefined));
      const abort = () => void close();
      signal?.addEventListener('abort', abort, { once: true });
      try {
        // Cancelled while Chromium started: it is closed below, nothing is printed.
        signal?.throwIfAborted();
        const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
        // Nothing but the document itself: any sub-resource request is refused.
        await context.route('**/*', (route) => route.abort());
        const page = await context.newPage();
        onPhase?.('printing');
        await page.setContent(html, { waitUntil: 'load' });
        const pdf = await page.pdf({ format: 'A4', printBackground: true, margin: { top: '16mm', bottom: '16mm', left: '14mm', right: '14mm' } });
        signal?.throwIfAborted();
        return new Uint8Array(pdf);
      } finally {
        signal?.removeEventListener('abort', abort);
        await close();
      }
    },
  };
}
