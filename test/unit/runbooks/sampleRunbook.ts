// A runbook model made of plain data, for template tests.
import type { RunbookModel } from '../../../src/core/runbooks/documentModel';

export function sampleRunbook(): RunbookModel {
  return {
    title: 'Runbook: Orders (orders)',
    generatedAt: '2026-11-25T10:00:00.000Z',
    generator: 'Lifeboat 0.1.0',
    sources: ['fleet file /etc/lifeboat/fleet.yaml', 'backup repository /srv/repo'],
    service: { id: 'orders', name: 'Orders', engine: 'postgres', engineLabel: 'PostgreSQL', owner: 'Ana', team: 'Payments', contacts: [{ name: 'Ana', phone: '+1 555' }], tags: ['tier-1'], host: '10.0.0.5', port: 5432, database: 'orders', user: 'lifeboat', tls: 'require', passwordSource: 'OS keychain' },
    version: { known: true, value: { serverVersion: '16.4', testedAt: '2026-11-25T09:00:00Z' } },
    topology: { known: false, reason: 'connect ECONNREFUSED 10.0.0.5:5432' },
    policy: { rpo: '15 minutes (15m)', rto: '1 hour (1h)', retention: 'keep the newest 7', schedules: [], backupLocation: '/srv/repo/orders/backups', walLocation: '/srv/repo/orders/wal', encryption: { known: true, value: { encrypted: true, description: 'AES-256-GCM', keyHeldIn: 'OS keychain' } } },
    state: {
      lastGoodBackup: { known: true, value: { id: 'orders-1', kind: 'physical', finishedAt: '2026-11-25T08:00:00Z', age: '2 h ago', size: '1 GB' } },
      lastVerified: { known: true, value: null },
      window: { known: false, reason: 'connect ECONNREFUSED 10.0.0.5:5432' },
      walStreaming: { known: true, value: 'streaming' },
      lastDrill: { known: true, value: null },
      replication: { known: true, value: 'none' },
    },
    procedures: [
      {
        id: 'pitr',
        title: 'Restore the whole cluster to a point in time (PostgreSQL)',
        summary: 'Stops and restores.',
        before: [{ title: 'Pick the target time', language: 'sh', code: "lifeboat restore-commands orders --at '<TARGET TIME>'" }],
        steps: [
          { title: 'Stop PostgreSQL', why: 'Needs the data directory.', language: 'sh', code: "pg_ctl -D '/var/lib/pg data' stop -m fast" },
          { title: 'Configure recovery', language: 'sh', code: "cat >> '/var/lib/pg data/postgresql.auto.conf' <<'LIFEBOAT'\nrecovery_target_time = '<TARGET TIME>'\nLIFEBOAT" },
        ],
        notes: ['Check the point reached.'],
      },
    ],
  };
}
