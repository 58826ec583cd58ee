// One webhook delivery with a stand-in fetch and a manual clock: exponential waits between attempts, a final
// 4xx answer not retried, network errors retried, and the secret only in the request's header.
import { describe, expect, it } from 'vitest';
import { deliverWebhook, type WebhookPayload } from '../../../src/core/monitoring/webhookDelivery';
import { ManualClock } from '../../support/manualClock';

const payload: WebhookPayload = { source: 'lifeboat', host: 'h', notification: { id: 'n1', at: '2026-11-25T02:00:00Z', kind: 'job-failed', severity: 'critical', title: 'Failed', message: 'm' } };
const webhook = { name: 'ops', url: 'https://ops.example.com/hook', secretHeader: 'X-Token' };

function fakeFetch(answers: Array<number | Error>, clock: ManualClock) {
  const calls: Array<{ at: number; headers: Record<string, string> }> = [];
  const impl = (async (_url: string, init: RequestInit) => {
    calls.push({ at: clock.now(), headers: init.headers as Record<string, string> });
    const answer = answers.shift() ?? 200;
    if (answer instanceof Error) throw answer;
    return new Response(null, { status: answer });
  }) as unknown as typeof fetch;
  return { calls, impl };
}

/** Runs the delivery, firing the clock's timers as the delivery sets them. */
async function run(answers: Array<number | Error>) {
  const clock = new ManualClock(0);
  const f = fakeFetch(answers, clock);
  let done = false;
  const result = deliverWebhook(webhook, 's3cret', payload, { clock, fetchImpl: f.impl, userAgent: 'Lifeboat/test', attempts: 5, baseDelayMs: 1000 }).finally(() => (done = true));
  while (!done) {
    await new Promise((r) => setImmediate(r));
    await clock.fireNext();
  }
  return { delivery: await result, calls: f.calls };
}

describe('webhook delivery', () => {
  it('waits 1, 2 and 4 s between failed attempts and stops at the first success', async () => {
    const { delivery, calls } = await run([503, new Error('fetch failed'), 429, 204]);
    expect(calls.map((c) => c.at)).toEqual([0, 1000, 3000, 7000]);
    expect(delivery).toMatchObject({ webhook: 'ops', notificationId: 'n1', ok: true, attempts: 4, status: 204 });
    for (const c of calls) expect(c.headers['x-token']).toBe('s3cret');
  });

  it('does not retry an answer that will not change (404), and gives up after the last attempt', async () => {
    expect((await run([404])).delivery).toMatchObject({ ok: false, attempts: 1, status: 404, error: 'HTTP 404' });
    const failing = await run([500, 500, 500, 500, 500]);
    expect(failing.delivery).toMatchObject({ ok: false, attempts: 5, status: 500 });
    expect(failing.calls.map((c) => c.at)).toEqual([0, 1000, 3000, 7000, 15000]);
  });

  it('never puts the secret into the delivery record, even when the request fails', async () => {
    const { delivery } = await run([new Error('fetch failed'), new Error('fetch failed'), new Error('fetch failed'), new Error('fetch failed'), new Error('fetch failed')]);
    expect(JSON.stringify(delivery)).not.toContain('s3cret');
    expect(delivery.error).toBe('fetch failed');
  });
});
