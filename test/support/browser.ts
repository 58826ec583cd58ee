// Debian's Chromium driven by playwright-core, with the flags this machine needs (no sandbox as root, no
// background networking on a closed network). Never downloads a browser.
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.LIFEBOAT_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}
