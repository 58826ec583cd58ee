// Browser mode for end-to-end tests: a real core in a temp folder, the real browser host serving the built
// renderer, and a Chromium page that records every WebSocket frame it receives.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startWebHost, type WebHost } from '../../src/host/web/webHost';
import { launchChromium } from './browser';
import { startTestCore, type TestCore } from './testCore';

export interface BrowserMode {
  t: TestCore;
  host: WebHost;
  browser: Browser;
  page: Page;
  /** Every frame the page received over the WebSocket, as text. */
  received: string[];
  consoleErrors: string[];
  close(): Promise<void>;
}

export async function startBrowserMode(options: { colorScheme?: 'light' | 'dark' } = {}): Promise<BrowserMode> {
  const t = await startTestCore();
  const host = await startWebHost({ core: t.core, rendererDir: join(process.cwd(), 'out', 'renderer') });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 }, colorScheme: options.colorScheme ?? 'light' });
  const received: string[] = [];
  const consoleErrors: string[] = [];
  page.on('websocket', (ws) => ws.on('framereceived', (frame) => received.push(String(frame.payload))));
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  await page.goto(host.url);
  return {
    t,
    host,
    browser,
    page,
    received,
    consoleErrors,
    async close() {
      await browser.close();
      await host.close();
      await t.close();
    },
  };
}
