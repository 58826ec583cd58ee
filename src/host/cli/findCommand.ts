// `lifeboat find <service>`: the transactions that dropped, truncated or mass-changed a table in a time range,
// each with its evidence and the two restore commands around it. Parses and prints; the core scans.
import { parseArgs } from 'node:util';
import type { Core } from '../../core/api';
import type { MomentFinding, MomentScanView } from '../../shared/findMoment';
import type { Job } from '../../shared/jobs';
import { table } from './cliOutput';
import { call } from './callCore';
import { need } from './cliArgs';
import { RECOVERY_USAGE } from './commandUsage';
import type { CommandRun } from './commandCatalog';
import { finishJob, formatBytes } from './followJob';
import { withCore } from './coreSession';

/** The commands that restore around a finding, as the DBA types them. */
export function restoreCommandsOf(serviceId: string, f: MomentFinding): { before: string; after: string } {
  if (f.before.engine === 'postgres') {
    const lsn = ` --commit-lsn ${f.lsn}`;
    return { before: `lifeboat pitr ${serviceId} --before-xid ${f.xid}${lsn}`, after: `lifeboat pitr ${serviceId} --after-xid ${f.xid}${lsn}` };
  }
  const after = f.after.engine === 'sqlserver' ? f.after : undefined;
  return {
    before: `lifeboat sqlserver restore ${serviceId} --stop-before-mark ${f.before.stopBeforeMark} --at ${f.before.stopAt} --as <new-db>`,
    after: `lifeboat sqlserver restore ${serviceId} --stop-at-mark ${after?.stopAtMark} --at ${after?.stopAt} --as <new-db>`,
  };
}

function rowsText(f: MomentFinding): string {
  const deleted = f.relations.reduce((n, r) => n + r.rowsDeleted, 0);
  const updated = f.relations.reduce((n, r) => n + r.rowsUpdated, 0);
  return [deleted && `${deleted} deleted`, updated && `${updated} updated`].filter(Boolean).join(', ') || '-';
}

export function findingsText(v: MomentScanView): string {
  const lines = [
    v.engine === 'postgres'
      ? `Read ${v.scanned.segments} WAL segments (${formatBytes(v.scanned.bytes)}) for ${v.from} .. ${v.to} (UTC) with ${v.scanned.tool}.`
      : `Read ${v.scanned.segments} logs (${v.scanned.first}${v.scanned.segments > 1 ? ` .. ${v.scanned.last}` : ''}) for ${v.from} .. ${v.to} (UTC) with ${v.scanned.tool}.`,
    ...(v.catalogs.length ? [`Names from: ${v.catalogs.join('; ')}.`] : []),
    ...v.notes,
    '',
  ];
  if (!v.findings.length) {
    lines.push(`No transaction ${v.table ? `on ${v.table} ` : ''}dropped or truncated a table, or deleted or updated ${v.minRows} rows or more of one, in that range.`);
    return lines.join('\n');
  }
  lines.push(
    table(
      ['#', 'COMMITTED (UTC)', 'ACTION', 'TABLE', 'ROWS', 'XID', 'LSN', 'ROLE'],
      v.findings.map((f, i) => [String(i + 1), f.commitTime, f.action.toUpperCase(), f.relations.map((r) => r.name ?? `? ${r.file}`).join(', '), rowsText(f), f.xid, f.lsn, f.role.name ?? 'unknown']),
    ),
  );
  v.findings.forEach((f, i) => {
    const cmds = restoreCommandsOf(v.serviceId, f);
    lines.push(
      '',
      `${i + 1}. ${f.action.toUpperCase()} of ${f.relations.map((r) => r.name ?? r.file).join(', ')} in ${f.database}, transaction ${f.xid}, committed ${f.commitTime}`,
      ...f.evidence.map((e) => `   ${e}`),
      ...f.relations.filter((r) => r.unresolved).map((r) => `   ${r.file} has no name: ${r.unresolved}.`),
      `   role: ${f.role.name ?? 'unknown'} (${f.role.source})`,
      `   restore to just before it: ${cmds.before}`,
      `   restore to just after it:  ${cmds.after}`,
    );
  });
  return lines.join('\n');
}

export async function findCommand(core: Core, args: string[], r: CommandRun): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { table: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, 'min-rows': { type: 'string' } }, allowPositionals: true });
  const serviceId = need(positionals[0], 'a service id', RECOVERY_USAGE);
  const job = await call<Job>(core, 'findMoment.start', {
    serviceId,
    ...(values.table ? { table: values.table } : {}),
    ...(values.from ? { from: values.from } : {}),
    ...(values.to ? { to: values.to } : {}),
    ...(values['min-rows'] ? { minRows: Number(values['min-rows']) } : {}),
  });
  return finishJob(core, r.out, job, (j) => findingsText(j.result as MomentScanView), (j) => j.result);
}

export async function run(r: CommandRun): Promise<number> {
  return withCore(r, (core) => findCommand(core, r.args, r));
}
