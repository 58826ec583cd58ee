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
    async render(html, { signal }) {
      const { chromium } = await import('playwright-core');
      const executablePath = chromiumExecutable(env);
      let browser;
      try {
        browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
      } catch (err) {
        throw new LifeboatError('TOOL_MISSING', `Cannot start Chromium at ${executablePath} to print the PDF: ${(err as Error).message.split('\n')[0]}`, 'Install Chromium, or set LIFEBOAT_CHROMIUM to its path; Markdown and HTML need no browser.');
      }
      const abort = () => void browser?.close();
      signal?.addEventListener('abort', abort, { once: true });
      try {
        const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
        // Nothing but the document itself: any sub-resource request is refused.
        await context.route('**/*', (route) => route.abort());
        const page = await context.newPage();
        await page.setContent(html, { waitUntil: 'load' });
        const pdf = await page.pdf({ format: 'A4', printBackground: true, margin: { top: '16mm', bottom: '16mm', left: '14mm', right: '14mm' } });
        return new Uint8Array(pdf);
      } finally {
        signal?.removeEventListener('abort', abort);
        await browser.close().catch(() => undefined);
      }
    },
  };
}
