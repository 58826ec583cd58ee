// The pure pieces behind the documents: procedures built from the restore commands, the SQL Server script
// with its STOPAT placeholder, the timeline SVG, compliance verdicts and risks, file names.
import { describe, expect, it } from 'vitest';
import type { Service } from '../../../src/shared/domain';
import type { SqlPlanView } from '../../../src/shared/sqlServerViews';
import { formatDuration } from '../../../src/core/formatFacts';
import { risksOf, verdict } from '../../../src/core/runbooks/gatherFleetReport';
import { judgeService } from '../../../src/core/monitoring/compliance';
import { postgresProcedures, TARGET_TIME_PLACEHOLDER } from '../../../src/core/runbooks/postgresProcedures';
import { fileNameOf } from '../../../src/core/runbooks/runbookHandlers';
import { sqlServerProcedures, STOPAT_PLACEHOLDER } from '../../../src/core/runbooks/sqlServerProcedures';
import { windowTimelineSvg } from '../../../src/core/runbooks/windowTimelineSvg';

const restoreView = {
  serviceId: 'orders',
  backupId: 'orders-b1',
  target: 'the target time',
  steps: [
    { title: 'Stop PostgreSQL', why: 'w', commands: ['pg_ctl -D /pg stop -m fast'] },
    { title: 'Configure recovery', why: 'w', commands: [`cat >> /pg/postgresql.auto.conf <<'LIFEBOAT'\nrecovery_target_time = '${TARGET_TIME_PLACEHOLDER}'\nLIFEBOAT`, 'touch /pg/recovery.signal'] },
  ],
};

const pgInput = {
  serviceId: 'orders', database: 'orders', host: 'db1', port: 5433, user: 'app', configPath: '/etc/lifeboat/fleet.yaml', serverKeyFile: '/etc/lifeboat/repo.key',
  encryption: { known: true as const, value: { encrypted: true, fingerprint: 'ab12', keychainEntry: 'service "Lifeboat", account "repository-key/ab12"' } },
  pitr: { known: true as const, value: { commands: restoreView, backupFinishedAt: '2026-11-25T08:00:00Z', windowTo: '2026-11-25T09:59:00Z' } },
  lastBackupId: 'orders-b1',
  promotion: { known: true as const, value: [] },
};

describe('PostgreSQL procedures', () => {
  it('turns each restore.commands step into one copyable step, and says which targets the base backup covers', () => {
    const [pitr] = postgresProcedures(pgInput);
    expect(pitr!.steps).toEqual([
      { title: 'Stop PostgreSQL', why: 'w', language: 'sh', code: 'pg_ctl -D /pg stop -m fast' },
      { title: 'Configure recovery', why: 'w', language: 'sh', code: restoreView.steps[1]!.commands.join('\n') },
    ]);
    expect(pitr!.before[0]!.why).toContain('2026-11-25 08:00:00Z (when it finished) to 2026-11-25 09:59:00Z');
    expect(pitr!.before[1]!.title).toBe('Put the repository key on the database server at /etc/lifeboat/repo.key');
  });

  it('needs no key step for an unencrypted repository, and says so in the key procedure', () => {
    const procedures = postgresProcedures({ ...pgInput, encryption: { known: true, value: { encrypted: false } } });
    expect(procedures[0]!.before.map((b) => b.title)).not.toContain(expect.stringContaining('repository key'));
    expect(procedures.find((p) => p.id === 'key')!.summary).toMatch(/not encrypted: there is no key/);
  });

  it('keeps the document going when the plan cannot be read: "unknown: <reason>" and the command to get it later', () => {
    const [pitr] = postgresProcedures({ ...pgInput, pitr: { known: false, reason: 'no repository' } });
    expect(pitr!.summary).toBe('unknown: no repository');
    expect(pitr!.steps[0]!.code).toBe("lifeboat restore-commands orders --at '<TARGET TIME with zone, e.g. 2026-11-25T14:03:00+00:00>' --config /etc/lifeboat/fleet.yaml");
  });

  it('restores one database under a new name from the newest logical backup', () => {
    const p = postgresProcedures({ ...pgInput, lastLogicalBackupId: 'orders-l9' }).find((x) => x.id === 'restore-database')!;
    expect(p.steps[0]!.code).toBe('lifeboat restore orders-l9 --as orders_restored --config /etc/lifeboat/fleet.yaml');
  });
});

describe('SQL Server procedures', () => {
  const plan: SqlPlanView = {
    serviceId: 'sales', databaseName: 'Sales', asDatabase: 'Sales_restored', replaces: false, serverUtcOffsetMinutes: 60,
    fileList: [{ logicalName: 'Sales', physicalName: 'D:\\data\\Sales.mdf', type: 'D' }, { logicalName: 'Sales_log', physicalName: 'D:\\data\\Sales_log.ldf', type: 'L' }],
    script: { statements: [], text: '-- latest script\n' },
    plan: {
      databaseName: 'Sales', target: { kind: 'latest' }, skipped: [], warnings: [],
      window: { databaseName: 'Sales', intervals: [] } as never,
      steps: [
        { backupSetId: '1', type: 'D', devices: ['D:\\b\\full.bak'], position: 1, why: 'newest full' },
        { backupSetId: '2', type: 'L', devices: ['D:\\b\\log1.trn'], position: 1, why: 'log 1' },
        { backupSetId: '3', type: 'L', devices: ['D:\\b\\log2.trn'], position: 1, why: 'log 2' },
      ],
    },
  };

  it('puts the STOPAT placeholder on every RESTORE LOG and nowhere else', () => {
    const procs = sqlServerProcedures({ serviceId: 'sales', database: 'Sales', configPath: '/f.yaml', plan: { known: true, value: plan } });
    const pitr = procs.find((p) => p.id === 'sql-pitr')!;
    const sql = pitr.steps[0]!.code!;
    const statements = sql.split('GO').filter((s) => /RESTORE (LOG|DATABASE)/.test(s));
    expect(statements).toHaveLength(3);
    expect(statements.filter((s) => s.includes(`STOPAT = N'${STOPAT_PLACEHOLDER}'`)).map((s) => /RESTORE (\w+)/.exec(s)![1])).toEqual(['LOG', 'LOG']);
    expect(sql).not.toContain('1999');
    expect(procs.find((p) => p.id === 'sql-latest')!.steps[0]!.code).toBe('-- latest script');
  });
});

describe('the window timeline', () => {
  it('draws one bar per interval, red gaps, escapes its text and loads nothing', () => {
    const svg = windowTimelineSvg({
      title: 'window of <orders>',
      intervals: [{ label: 'tl 1', from: '2026-11-25T08:00:00Z', to: '2026-11-25T09:00:00Z' }, { label: 'tl 1', from: '2026-11-25T09:30:00Z', to: '2026-11-25T10:00:00Z' }],
      gaps: [{ from: '2026-11-25T09:00:00Z', to: '2026-11-25T09:30:00Z' }],
      backups: [{ id: 'b1', at: '2026-11-25T08:00:00Z' }],
      now: '2026-11-25T10:00:00Z',
    });
    expect(svg.match(/<rect /g)).toHaveLength(3);
    expect(svg.match(/fill="#c53030"/g)).toHaveLength(1);
    expect(svg).toContain('window of &lt;orders&gt;');
    expect(svg).not.toMatch(/href|url\(|style=/);
  });
});

describe('compliance and risks', () => {
  it('words the compliance rule\'s judgement: met (green or amber) with a measurement, missed (red), else unknown', () => {
    expect(verdict('15m', 'ok', true)).toBe('met');
    expect(verdict('15m', 'warning', true)).toBe('met');
    expect(verdict('15m', 'warning', false)).toBe('unknown'); // "No drill yet" is amber, and nothing was measured
    expect(verdict('15m', 'breach', false)).toBe('missed'); // no good backup at all
    expect(verdict('15m', 'unknown', true)).toBe('unknown');
    expect(verdict(undefined, 'breach', true)).toBe('no target');
  });

  it('names the open risks of a service from plain facts', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    const service = { id: 'orders', name: 'Orders', engine: 'postgres', tags: [], policy: { rpo: '1h' }, connection: { host: 'h', port: 1, database: 'd', user: 'u', tls: 'prefer', password: { kind: 'env', variable: 'ORDERS_PW' } } } as Service;
    const risks = risksOf({
      service,
      judged: judgeService({
        service,
        backups: { known: true, value: [{ finishedAt: '2026-11-25T09:00:00Z', storedBytes: 1 }] },
        window: { known: false, reason: 'no WAL' },
        drills: { known: true, value: [] },
        walFiles: { known: true, value: [] },
        wal: { known: true, value: { streaming: false } },
        encrypted: { known: true, value: false },
        replication: { known: true, value: { health: 'none', summary: 'no standbys' } },
      }, { now }),
      lastGood: { known: true, value: { finishedAt: '2026-11-25T09:00:00Z', verified: false } },
      anyVerified: { known: true, value: false },
      window: { known: false, reason: 'no WAL' },
      drills: { known: true, value: [] },
      storage: { known: true, value: { backups: 1, backupBytes: 1, walBytes: 0, addedBytes: 1 } },
      wal: { known: true, value: { streaming: false, slotRetained: 5 * 1024 ** 3, slotName: 'lifeboat_orders', slotActive: false } },
      encrypted: { known: true, value: false },
    }, now).map((r) => `${r.severity}: ${r.text}`);
    expect(risks).toEqual(expect.arrayContaining([
      'high: RPO breached: last good backup 3 h ago (RPO 1 h)',
      'medium: never drilled: the RTO is a guess',
      'medium: no verified backup',
      'medium: no WAL streaming: point-in-time restore ends at the last base backup',
      'high: replication slot lifeboat_orders retains 5.0 GB of WAL on the server (inactive)',
      'medium: backups are not encrypted',
      'low: password read from environment variable ORDERS_PW: visible to every process of that user',
      'low: no RTO target in the policy',
      'medium: window unknown: no WAL',
    ]));
  });

  it('names files after the document and the day', () => {
    expect(fileNameOf({ kind: 'runbook', serviceId: 'orders' }, 'pdf', '2026-11-25T10:00:00Z')).toBe('runbook-orders-2026-11-25.pdf');
    expect(fileNameOf({ kind: 'report', days: 30 }, 'md', '2026-11-25T10:00:00Z')).toBe('fleet-report-2026-11-25.md');
    expect(formatDuration(95_000)).toBe('1 min 35 s');
  });
});
