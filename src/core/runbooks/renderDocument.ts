// Renders one document (a runbook, every service's runbooks, or the fleet report) as Markdown or HTML: gathers
// its model from the other slices' handlers and fills the templates. Loaded by runbookHandlers only when a
// document is rendered, so Handlebars and the document code stay out of every other command's start-up.
import type { Handlers } from '../../shared/contract';
import type { DocumentSelector } from '../../shared/runbookContract';
import type { CoreDeps } from '../coreDeps';
import { documentTemplates, type TemplateFormat } from './documentTemplates';
import { gatherFleetReport } from './gatherFleetReport';
import { gatherRunbook } from './gatherRunbook';
import { serverKeyFile } from '../wal/serverArchiveCommands';
import { fanOut } from '../fleet/fanOut';
import { fleetViewLimits } from '../fleet/fleetViewLimits';
import type { LastKnownFacts } from '../fleet/lastKnownFacts';
import type { Fact } from '../fleet/fact';
import type { ReplicationView } from '../../shared/replication';

export type Selector = Exclude<DocumentSelector, { kind: 'report' }> | { kind: 'report'; days: number };

export interface RenderSettings {
  /** The composed handlers of the whole core. */
  handlers: Handlers;
  /** A team's template folder, or undefined for the built-in templates. */
  templatesDir: string | undefined;
  serverKeyFile: string | undefined;
  /** Where the printed whole-cluster restore puts tablespaces, when not where they were. */
  tablespaceMapping?: Record<string, string>;
  /** The last answer of each service, for the facts a server does not give in time. */
  lastKnown: LastKnownFacts;
}

export async function renderDocument(
  deps: CoreDeps,
  document: Selector,
  format: TemplateFormat,
  settings: RenderSettings,
): Promise<{ content: string; generatedAt: string; title: string }> {
  const h = settings.handlers;
  const templates = documentTemplates(settings.templatesDir);
  const keyFile = settings.serverKeyFile ?? serverKeyFile(deps.env);
  const now = new Date();
  // Each service under the fleet views' time limit: a server that does not answer makes its facts
  // "unknown" (with the last value learned) once, instead of a connect timeout per read, one service after another.
  const limits = fleetViewLimits(deps.env, deps.fleet.fleetViews);
  await settings.lastKnown.load();
  const runbooksOf = async (ids: string[]) => {
    // Replication views of many services come from one read of each server, not one per service and peer;
    // the services that did not answer last time go first, so their time limit runs while the others answer.
    const ordered = settings.lastKnown.slowestFirst(ids.map((id) => ({ id }))).map((s) => s.id);
    const replication = ids.length > 1 ? replicationViews(h, ordered) : undefined;
    const models = await fanOut(ordered, limits, (serviceId) => gatherRunbook(h, deps, serviceId, { serverKeyFile: keyFile, tablespaceMapping: settings.tablespaceMapping, now, replication }));
    const byId = new Map(models.map((m) => [m.service.id, m]));
    return ids.map((id) => byId.get(id)!);
  };
  if (document.kind === 'runbook') {
    const [model] = await runbooksOf([document.serviceId]);
    return { content: templates.render('runbook', format, model!), generatedAt: model!.generatedAt, title: model!.title };
  }
  if (document.kind === 'runbooks') {
    const runbooks = await runbooksOf(deps.fleet.list().map((s) => s.id));
    const model = { title: 'Runbooks: every service', generatedAt: now.toISOString(), generator: runbooks[0]?.generator ?? 'Lifeboat', sources: [...new Set(runbooks.flatMap((r) => r.sources))], runbooks };
    return { content: templates.render('runbooks', format, model), generatedAt: model.generatedAt, title: model.title };
  }
  const model = await gatherFleetReport(h, deps, settings.lastKnown, { days: document.days, now });
  return { content: templates.render('fleet-report', format, model), generatedAt: model.generatedAt, title: model.title };
}

async function replicationViews(h: Handlers, serviceIds: string[]): Promise<Map<string, Fact<ReplicationView>>> {
  const views = await h['replication.statuses']({ serviceIds }).catch(() => []);
  return new Map(views.map((v) => [v.serviceId, v.view ? { known: true, value: v.view } : { known: false, reason: v.error ? `${v.error.message} (${v.error.code})` : 'not read' }]));
}
