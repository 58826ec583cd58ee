// Turns what happened into notifications a DBA should see now (a failed job, a failing WAL archiver,
// replication lag, an RPO breach, a fleet file edit that was refused): a 'monitoring.notification' event for
// the doors (desktop notifications), a line in dataDir/state/notifications.jsonl (compacted to the newest
// 500, the most any view shows), and a POST to each configured webhook.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { EventPayloads } from '../../shared/contract';
import type { Job } from '../../shared/jobs';
import type { NotificationRecord, Webhook, WebhookDelivery } from '../../shared/monitoring';
import type { ReplicationAlert } from '../../shared/replication';
import type { EventHub } from '../eventHub';
import type { FleetFile } from '../inventory/fleetFile';
import { LifeboatError } from '../lifeboatError';
import type { ActivityLog } from '../logging/activityLog';
import type { SecretStore } from '../secrets/secretStore';
import { compactJsonLines, parseJsonLines } from '../storage/compactJsonLines';
import { LIFEBOAT_VERSION } from '../version';
import type { Clock } from './clock';
import { deliverWebhook, type DeliveryOptions } from './webhookDelivery';

/** The keychain account holding a webhook's secret header value. */
export function webhookSecretAccount(name: string): string {
  return `webhook/${name}/secret`;
}

export interface NotifierOptions {
  events: EventHub;
  fleet: FleetFile;
  secrets: SecretStore;
  log: ActivityLog;
  clock: Clock;
  path: string;
  delivery?: Partial<Omit<DeliveryOptions, 'clock' | 'userAgent'>>;
}

const KEEP = 500;

export class Notifier {
  private recent: NotificationRecord[] = [];
  private deliveries: WebhookDelivery[] = [];
  private notifiedJobs = new Set<string>();
  private inflight = new Set<Promise<unknown>>();
  /** Appends and compactions one at a time, so a compaction never drops a line appended meanwhile. */
  private writes: Promise<unknown> = Promise.resolve();
  private lines = 0;

  constructor(private readonly o: NotifierOptions) {}

  async load(): Promise<void> {
    const all = parseJsonLines<NotificationRecord>(await readFile(this.o.path, 'utf8').catch(() => ''));
    this.lines = all.length;
    this.recent = all.slice(-KEEP);
    for (const n of this.recent) if (n.jobId) this.notifiedJobs.add(n.jobId);
  }

  /** Keeps the newest KEEP lines of the file (long-lived doors at start, and whenever it holds twice that). */
  compact(): Promise<void> {
    const compaction = this.writes.then(async () => {
      const result = await compactJsonLines<NotificationRecord>(this.o.path, (entries) => entries.slice(-KEEP));
      if (result) this.lines = result.after;
    });
    this.writes = compaction.catch(() => undefined);
    return compaction;
  }

  /** Subscribes to the core's events; returns the unsubscribe. */
  watch(): () => void {
    return this.o.events.subscribe((name, payload) => {
      if (name === 'job.changed') this.onJob(payload as Job);
      else if (name === 'replication.alert') this.onReplicationAlert(payload as ReplicationAlert);
      else if (name === 'replication.archiverFailing') this.onArchiverFailing(payload as EventPayloads['replication.archiverFailing']);
    });
  }

  private onJob(job: Job): void {
    if (job.state !== 'failed' || this.notifiedJobs.has(job.id)) return;
    this.notifiedJobs.add(job.id);
    const error = job.error ?? { code: 'INTERNAL', message: 'The job failed.', hint: '' };
    // The WAL stream is the archiver: when it stops, the recoverable window stops growing.
    const archiver = job.kind === 'wal.stream';
    void this.notify({
      kind: archiver ? 'archiver-failed' : 'job-failed',
      severity: 'critical',
      serviceId: job.serviceId,
      jobId: job.id,
      title: archiver ? `WAL archiving stopped${job.serviceId ? ` for ${job.serviceId}` : ''}` : `Failed: ${job.title}`,
      message: error.message,
      hint: error.hint || undefined,
    });
  }

  private onReplicationAlert(alert: ReplicationAlert): void {
    const severity = alert.level === 'critical' || alert.level === 'disconnected' ? 'critical' : alert.level === 'warn' ? 'warning' : 'info';
    const what = alert.level === 'ok' ? 'back within thresholds' : alert.level === 'disconnected' ? 'disconnected' : `lag ${alert.level}`;
    void this.notify({ kind: 'replication-lag', severity, serviceId: alert.serviceId, title: `Replication on ${alert.serviceId}: standby ${alert.standby} ${what}`, message: alert.message });
  }

  private onArchiverFailing(e: EventPayloads['replication.archiverFailing']): void {
    void this.notify({
      kind: 'archiver-failed',
      severity: 'critical',
      serviceId: e.serviceId,
      title: `WAL archiving is failing on ${e.serviceId}`,
      message: `archive_command failed ${e.failedCount} time${e.failedCount === 1 ? '' : 's'}; last for ${e.lastFailedWal ?? 'an unknown segment'}${e.lastFailedTime ? ` at ${e.lastFailedTime}` : ''}.`,
      hint: 'WAL piles up in pg_wal until archiving works again: check the archive_command and its target (disk, permissions, network).',
    });
  }

  async notify(input: Omit<NotificationRecord, 'id' | 'at'>): Promise<NotificationRecord> {
    const n: NotificationRecord = { id: randomUUID(), at: new Date(this.o.clock.now()).toISOString(), ...input };
    this.recent.push(n);
    if (this.recent.length > KEEP) this.recent.shift();
    const write = this.writes.then(async () => {
      await mkdir(dirname(this.o.path), { recursive: true });
      await appendFile(this.o.path, JSON.stringify(n) + '\n', { mode: 0o600 });
      this.lines++;
    });
    this.writes = write.catch(() => undefined);
    this.track(write.then(() => (this.lines > 2 * KEEP ? this.compact() : undefined)).catch(() => undefined));
    this.o.events.publish('monitoring.notification', n);
    await this.o.log.write({ level: n.severity === 'critical' ? 'error' : n.severity === 'warning' ? 'warn' : 'info', event: `notification.${n.kind}`, serviceId: n.serviceId, detail: n.title });
    for (const webhook of this.o.fleet.notifications.webhooks ?? []) {
      if (webhook.kinds && !webhook.kinds.includes(n.kind)) continue;
      this.track(this.send(webhook, n));
    }
    return n;
  }

  list(limit: number): NotificationRecord[] {
    return this.recent.slice(-limit).reverse();
  }

  recentDeliveries(limit = 50): WebhookDelivery[] {
    return this.deliveries.slice(-limit).reverse();
  }

  async test(name: string): Promise<WebhookDelivery> {
    const webhook = (this.o.fleet.notifications.webhooks ?? []).find((w) => w.name === name);
    if (!webhook) throw new LifeboatError('NOT_FOUND', `No webhook named "${name}".`, 'List the webhooks to see their names.');
    const n: NotificationRecord = { id: randomUUID(), at: new Date(this.o.clock.now()).toISOString(), kind: 'test', severity: 'info', title: 'Lifeboat test notification', message: `A test from ${hostname()}: this webhook receives Lifeboat's notifications.` };
    return this.track(this.send(webhook, n));
  }

  /** Resolves when every delivery in flight (retries included) has ended. */
  async whenIdle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  private async send(webhook: Webhook, n: NotificationRecord): Promise<WebhookDelivery> {
    let secret: string | undefined;
    try {
      secret = webhook.secretHeader ? await this.o.secrets.get(webhookSecretAccount(webhook.name)) : undefined;
    } catch (err) {
      // No keychain (a headless agent): send without the header rather than not at all, and say so.
      await this.o.log.write({ level: 'warn', event: 'webhook.secret.unavailable', detail: `${webhook.name}: ${(err as Error).message.split('\n')[0]}` });
    }
    const delivery = await deliverWebhook(webhook, secret, { source: 'lifeboat', host: hostname(), notification: n }, { clock: this.o.clock, userAgent: `Lifeboat/${LIFEBOAT_VERSION}`, ...this.o.delivery });
    this.deliveries.push(delivery);
    if (this.deliveries.length > KEEP) this.deliveries.shift();
    // Name, outcome and attempts only: never the URL's query, the headers or the secret.
    await this.o.log.write({
      level: delivery.ok ? 'info' : 'error',
      event: delivery.ok ? 'webhook.delivered' : 'webhook.failed',
      detail: `${webhook.name}: ${delivery.ok ? `HTTP ${delivery.status}` : delivery.error ?? 'failed'} after ${delivery.attempts} attempt(s)`,
    });
    return delivery;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p)).catch(() => undefined);
    return p;
  }
}
