// The fleet table's rows: services show at once from services.list, their verdicts join when monitoring.fleet
// answers, the facts not learned are kept by column, and the filters and the search see what the DBA sees.
import { describe, expect, it } from 'vitest';
import type { ServiceView } from '../../../src/shared/domain';
import type { ServiceCompliance } from '../../../src/shared/monitoring';
import { filterChoices, fleetRows, searchTextOf, stateOf } from '../../../src/renderer/src/pages/fleet/fleetRows';

function view(id: string, extra: Partial<ServiceView['service']> = {}, version?: string): ServiceView {
  return {
    service: { id, name: `Name of ${id}`, engine: 'postgres', tags: [], policy: {}, connection: { host: 'db', port: 5432, database: id, user: 'u', tls: 'prefer', password: { kind: 'none' } }, ...extra },
    hasStoredPassword: false,
    health: version ? 'ok' : 'untested',
    lastTest: version ? { at: '2026-12-01T10:00:00Z', report: { serverVersion: version } as never } : undefined,
  };
}

function verdict(serviceId: string, extra: Partial<ServiceCompliance> = {}): ServiceCompliance {
  return {
    serviceId,
    name: serviceId,
    engine: 'postgres',
    tags: [],
    state: 'ok',
    backup: { level: 'ok', text: 'Within RPO' },
    rto: { level: 'ok', text: 'Drill within RTO' },
    replication: { level: 'ok', text: 'No standby', health: 'none' },
    missedRuns: 0,
    unknown: [],
    ...extra,
  };
}

describe('fleet rows', () => {
  it('shows every service before monitoring.fleet answers, with its state pending', () => {
    const rows = fleetRows([view('orders', { team: 'checkout' }, '15.8'), view('billing')], {});
    expect(rows.map((r) => [r.id, r.team, r.version, r.compliance, stateOf(r)])).toEqual([
      ['orders', 'checkout', '15.8', undefined, 'pending'],
      ['billing', undefined, undefined, undefined, 'pending'],
    ]);
  });

  it("joins each service's verdicts and keeps the facts not learned by what they are about", () => {
    const unknown = { fact: 'replication' as const, reason: 'no answer within 2 s', lastKnown: { text: 'Healthy', at: '2026-12-01T09:00:00Z' } };
    const rows = fleetRows([view('orders')], { orders: verdict('orders', { state: 'unknown', version: '16.2', team: 'core', unknown: [unknown] }) });
    expect(stateOf(rows[0]!)).toBe('unknown');
    expect(rows[0]!.unknown).toEqual({ replication: unknown });
    // The connection test's version is the newer fact when there is one; else the core's.
    expect(rows[0]!.version).toBe('16.2');
    expect(rows[0]!.team).toBe('core');
  });

  it('offers each team and tag once, sorted, as filter choices', () => {
    const rows = fleetRows([view('a', { team: 'payments', tags: ['tier-1', 'pci'] }), view('b', { team: 'core', tags: ['tier-1'] }), view('c')], {});
    expect(filterChoices(rows)).toEqual({ teams: ['core', 'payments'], tags: ['pci', 'tier-1'] });
  });

  it('searches the name, id, engine, version, team, owner and tags', () => {
    const [row] = fleetRows([view('orders', { name: 'Orders', team: 'checkout', owner: 'Ana Silva', tags: ['tier-1'] }, '15.8')], {});
    expect(searchTextOf(row!)).toBe('Orders orders postgres 15.8 checkout Ana Silva tier-1');
  });
});
