// One notification POSTed as JSON to one webhook, retried with exponential backoff. The secret header's value
// is only ever put in the request: never in a log line, an error message or a delivery record.
import type { NotificationRecord, Webhook, WebhookDelivery } from '../../shared/monitoring';
import { sleep, type Clock } from './clock';

export interface DeliveryOptions {
  clock: Clock;
  /** Attempts in all (default 5): waits of base, 2x base, 4x base... between them. */
  attempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  userAgent: string;
}

export interface WebhookPayload {
  source: 'lifeboat';
  host: string;
  notification: NotificationRecord;
}

/** 4xx answers other than timeout and rate limit will not change on a retry. */
const retryable = (status: number) => status >= 500 || status === 408 || status === 429;

export async function deliverWebhook(webhook: Webhook, secret: string | undefined, payload: WebhookPayload, o: DeliveryOptions): Promise<WebhookDelivery> {
  const attempts = o.attempts ?? 5;
  const base = o.baseDelayMs ?? 2000;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': o.userAgent };
  if (webhook.secretHeader && secret) headers[webhook.secretHeader.toLowerCase()] = secret;
  const body = JSON.stringify(payload);
  let status: number | undefined;
  let error: string | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await (o.fetchImpl ?? fetch)(webhook.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(o.timeoutMs ?? 10_000) });
      status = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return record(webhook, payload, true, attempt, status);
      error = `HTTP ${status}`;
      if (!retryable(status)) return record(webhook, payload, false, attempt, status, error);
    } catch (err) {
      status = undefined;
      // fetch's own words ("fetch failed: connect ECONNREFUSED"): they carry the URL's host at most.
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      error = [(err as Error).message, cause?.code ?? cause?.message].filter(Boolean).join(': ');
    }
    if (attempt < attempts) await sleep(o.clock, base * 2 ** (attempt - 1));
  }
  return record(webhook, payload, false, attempts, status, error);
}

function record(webhook: Webhook, payload: WebhookPayload, ok: boolean, attempts: number, status?: number, error?: string): WebhookDelivery {
  return { webhook: webhook.name, notificationId: payload.notification.id, ok, attempts, status, error, at: new Date().toISOString() };
}
