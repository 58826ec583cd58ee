// CLI commands for monitoring, for servers without the UI and for scripts: the schedules (with missed runs),
// the compliance dashboard, recent notifications, and webhooks (the secret read from stdin, never an argument).
import { parseArgs } from 'node:util';
import type { Core } from '../../core/api';
import type { DashboardView, NotificationKind, ScheduleView, WebhookDelivery, WebhookView } from '../../shared/monitoring';
import { isWireError, type WireError } from '../../shared/errors';
import { toWireError } from '../../core/lifeboatError';
import { table, type Output } from './cliOutput';
import { call } from './callCore';
import { MONITORING_USAGE } from './commandUsage';
import type { CommandRun } from './commandCatalog';
import { withCore } from './coreSession';

const usage = (message: string): WireError => ({ code: 'INVALID_INPUT', message, hint: `Usage:\n${MONITORING_USAGE}` });

export async function monitoringCommand(core: Core, command: string, args: string[], out: Output, readStdin: () => Promise<string>): Promise<number> {
  try {
    switch (command) {
      case 'schedules': {
        const views = await call<ScheduleView[]>(core, 'monitoring.schedules', {});
        out.result(views, () =>
          views.length
            ? table(
                ['SERVICE', 'JOB', 'WHEN', 'NEXT RUN', 'LAST RUN', 'MISSED'],
                views.map((v) => [
                  v.serviceId,
                  v.kind,
                  v.error ? `${v.description} - cannot run: ${v.error}` : v.description,
                  v.nextRun ?? '-',
                  v.lastRun ? `${v.lastRun.outcome} ${v.lastRun.slot}` : '-',
                  v.missed ? `${v.missed.count} (${v.missed.first} .. ${v.missed.last})${v.missed.ranAtStart ? ', ran once at start' : ''}` : '-',
                ]),
              )
            : 'No schedules: add policy.schedules to a service in the fleet file.',
        );
        return 0;
      }
      case 'dashboard': {
        const d = await call<DashboardView>(core, 'monitoring.dashboard', {});
        out.result(d, () => {
          const rows = d.services.map((s) => [s.serviceId, `${s.backup.level.toUpperCase()} ${s.backup.text}`, `${s.rto.level.toUpperCase()} ${s.rto.text}`, `${s.replication.level.toUpperCase()} ${s.replication.text}`, s.nextRun ? `${s.nextRun.kind} ${s.nextRun.at}` : '-']);
          const rates = d.rates.map((r) => `last ${r.days} days: ${r.succeeded} succeeded, ${r.failed} failed${r.successRate === null ? '' : ` (${Math.round(r.successRate * 1000) / 10} %)`}`);
          const failures = d.failures.slice(0, 5).map((f) => `  ${f.at} ${f.title}: ${f.error.code} ${f.error.message}`);
          return [table(['SERVICE', 'BACKUP VS RPO', 'DRILL VS RTO', 'REPLICATION', 'NEXT RUN'], rows), '', ...rates, ...(failures.length ? ['', 'Recent failures:', ...failures] : [])].join('\n');
        });
        return 0;
      }
      case 'notifications': {
        const { values } = parseArgs({ args, options: { limit: { type: 'string' } }, strict: true });
        const result = await call<{ notifications: Array<{ at: string; severity: string; title: string; message: string }>; deliveries: WebhookDelivery[] }>(core, 'monitoring.notifications', { limit: values.limit ? Number(values.limit) : 20 });
        out.result(result, () => (result.notifications.length ? result.notifications.map((n) => `${n.at} ${n.severity.padEnd(8)} ${n.title}: ${n.message}`).join('\n') : 'No notifications.'));
        return 0;
      }
      case 'webhook':
        return await webhookCommand(core, args, out, readStdin);
      default:
        return out.error(usage(`Unknown command: ${command}`));
    }
  } catch (err) {
    // parseArgs says what was wrong with the arguments; anything else is classified as every command does.
    if ((err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) return out.error(usage((err as Error).message));
    return out.error(isWireError(err) ? err : toWireError(err));
  }
}

async function webhookCommand(core: Core, args: string[], out: Output, readStdin: () => Promise<string>): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { 'secret-header': { type: 'string' }, kinds: { type: 'string' }, 'secret-stdin': { type: 'boolean' } },
  });
  const [action, name, url] = positionals;
  const render = (w: WebhookView) => `${w.name}  ${w.url}${w.secretHeader ? `  ${w.secretHeader}: ${w.hasSecret ? 'secret in the keychain' : 'NO SECRET'}` : ''}${w.kinds ? `  (${w.kinds.join(', ')})` : ''}`;
  switch (action) {
    case 'list': {
      const list = await call<WebhookView[]>(core, 'monitoring.webhooks', {});
      out.result(list, () => (list.length ? list.map(render).join('\n') : 'No webhooks.'));
      return 0;
    }
    case 'set': {
      if (!name || !url) return out.error(usage('webhook set needs a name and a URL.'));
      const secret = values['secret-stdin'] ? (await readStdin()).replace(/\r?\n$/, '') : undefined;
      const webhook = { name, url, secretHeader: values['secret-header'], kinds: values.kinds?.split(',').map((k) => k.trim() as NotificationKind) };
      const view = await call<WebhookView>(core, 'monitoring.setWebhook', { webhook, secret: secret || undefined });
      out.result(view, () => `Saved ${render(view)}`);
      return 0;
    }
    case 'test': {
      if (!name) return out.error(usage('webhook test needs a name.'));
      const d = await call<WebhookDelivery>(core, 'monitoring.testWebhook', { name });
      out.result(d, () => `${d.ok ? 'Delivered' : 'Not delivered'}: ${d.ok ? `HTTP ${d.status}` : d.error} after ${d.attempts} attempt(s)`);
      return d.ok ? 0 : 3;
    }
    case 'remove': {
      if (!name) return out.error(usage('webhook remove needs a name.'));
      out.result(await call(core, 'monitoring.removeWebhook', { name }), () => `Removed ${name}.`);
      return 0;
    }
    default:
      return out.error(usage(`Unknown webhook action: ${action ?? '(none)'}`));
  }
}

export async function run(r: CommandRun): Promise<number> {
  return withCore(r, (core) => monitoringCommand(core, r.command, r.args, r.out, r.readStdin));
}
