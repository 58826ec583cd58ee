// Playwright's web-first assertions (auto-waiting) without the test runner: playwright-core has no expect,
// so this waits for a locator condition by polling it, up to a timeout, and fails with what it last saw.
import type { Locator } from 'playwright-core';

const TIMEOUT_MS = 15_000;

async function until(description: string, check: () => Promise<{ ok: boolean; seen: unknown }>): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  let seen: unknown;
  for (;;) {
    const r = await check().catch((err: Error) => ({ ok: false, seen: err.message }));
    seen = r.seen;
    if (r.ok) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${TIMEOUT_MS} ms waiting for ${description}; last seen: ${JSON.stringify(seen)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function expect(locator: Locator) {
  return {
    toBeVisible: () => until(`${locator} to be visible`, async () => ({ ok: await locator.isVisible(), seen: 'hidden' })),
    toHaveCount: (n: number) => until(`${locator} to have count ${n}`, async () => {
      const c = await locator.count();
      return { ok: c === n, seen: c };
    }),
    toHaveText: (text: string | RegExp) => until(`${locator} to have text ${text}`, async () => {
      const t = (await locator.first().textContent({ timeout: 1000 })) ?? '';
      return { ok: typeof text === 'string' ? t.trim() === text : text.test(t), seen: t };
    }),
    toContainText: (text: string | RegExp) => until(`${locator} to contain ${text}`, async () => {
      const t = (await locator.first().textContent({ timeout: 1000 })) ?? '';
      return { ok: typeof text === 'string' ? t.includes(text) : text.test(t), seen: t };
    }),
    toHaveAttribute: (name: string, value: string) => until(`${locator} to have ${name}=${value}`, async () => {
      const v = await locator.first().getAttribute(name, { timeout: 1000 });
      return { ok: v === value, seen: v };
    }),
  };
}
