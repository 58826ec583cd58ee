// The monitoring slice of the contract: schedules, the dashboard, notifications and webhooks.
// Merged into methodInputs / MethodOutputs / EventPayloads by contract.ts.
import { z } from 'zod';
import { webhookSchema, webhookNameSchema } from './monitoring';
import type { AgentJob, AgentView, DashboardView, FleetOverviewView, NotificationRecord, ScheduleView, WebhookDelivery, WebhookView } from './monitoring';

export const monitoringMethodInputs = {
  /** Fleet compliance at a glance: backups against RPO, drills against RTO, rates, storage, failures. */
  'monitoring.dashboard': z.object({}).strict(),
  /** The fleet page's rows: every service's RPO, window end, last good backup, last drill against the RTO,
   * replication and next run, judged by the same rule as the dashboard, each server asked with a time limit. */
  'monitoring.fleet': z.object({}).strict(),
  /** Every schedule of the fleet with its next run, last run and runs missed while Lifeboat was closed. */
  'monitoring.schedules': z.object({}).strict(),
  /** Notifications raised recently, newest first. */
  'monitoring.notifications': z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
  'monitoring.webhooks': z.object({}).strict(),
  /** Adds or replaces a webhook; `secret`, when given, goes to the keychain only (it can never be read back). */
  'monitoring.setWebhook': z.object({ webhook: webhookSchema, secret: z.string().min(1).max(4096).optional() }).strict(),
  'monitoring.removeWebhook': z.object({ name: webhookNameSchema }).strict(),
  /** Sends a test notification to one webhook now (with retries) and reports the outcome. */
  'monitoring.testWebhook': z.object({ name: webhookNameSchema }).strict(),
  'monitoring.setDesktopNotifications': z.object({ enabled: z.boolean() }).strict(),
  /** Headless agents that share the fleet's repository, and the jobs they journalled there. */
  'monitoring.agents': z.object({}).strict(),
} satisfies Record<string, z.ZodType>;

export interface MonitoringMethodOutputs {
  'monitoring.dashboard': DashboardView;
  'monitoring.fleet': FleetOverviewView;
  'monitoring.schedules': ScheduleView[];
  'monitoring.notifications': { desktop: boolean; notifications: NotificationRecord[]; deliveries: WebhookDelivery[] };
  'monitoring.webhooks': WebhookView[];
  'monitoring.setWebhook': WebhookView;
  'monitoring.removeWebhook': { removed: string };
  'monitoring.testWebhook': WebhookDelivery;
  'monitoring.setDesktopNotifications': { desktop: boolean };
  'monitoring.agents': { agents: AgentView[]; jobs: AgentJob[] };
}

export interface MonitoringEventPayloads {
  /** Something a DBA should know now: a failed job, an RPO breach, replication lag, a failing archiver. */
  'monitoring.notification': NotificationRecord;
}
