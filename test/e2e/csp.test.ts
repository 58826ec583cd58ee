// The renderer's Content-Security-Policy, tested for real in Chromium: an injected inline script and a
// connection to another origin are both blocked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserMode, type BrowserMode } from '../support/browserMode';

let b: BrowserMode;
beforeAll(async () => {
  b = await startBrowserMode();
});
afterAll(async () => {
  await b?.close();
});

describe('content security policy in the browser', () => {
  it('blocks an injected inline script and reports the violation', async () => {
    const outcome = await b.page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const script = document.createElement('script');
      script.textContent = 'window.__injected = 1';
      document.head.appendChild(script);
      await new Promise((r) => setTimeout(r, 200));
      return { injected: (window as unknown as { __injected?: number }).__injected, violations };
    });
    expect(outcome.injected).toBeUndefined();
    expect(outcome.violations.some((d) => d.startsWith('script-src'))).toBe(true);
  });

  it('blocks a connection to another origin', async () => {
    const outcome = await b.page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
      const result = await fetch('http://127.0.0.2:9/exfiltrate').then(() => 'sent', () => 'blocked');
      await new Promise((r) => setTimeout(r, 100));
      return { result, violations };
    });
    expect(outcome.result).toBe('blocked');
    // Blocked by the policy itself, not merely because nothing listens there.
    expect(outcome.violations).toContain('connect-src http://127.0.0.2:9/exfiltrate');
  });
});
