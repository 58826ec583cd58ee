// Where a fleet keeps its backups, read from the services' policies, and a service's repositories written back
// into its policy the way the core reads them.
import { describe, expect, it } from 'vitest';
import type { Service } from '../../../src/shared/domain';
import { serviceSchema } from '../../../src/shared/domain';
import { policyWithRepositories, repositoriesInUse, repositoriesOf } from '../../../src/renderer/src/format/repositoriesInUse';
import { draftFromService, serviceFromDraft } from '../../../src/renderer/src/pages/wizard/wizardDraft';

const FLEET = 'azure://acct/backups/fleet?endpoint=http://127.0.0.1:10000/acct';
const service = (id: string, policy: Service['policy'], engine: Service['engine'] = 'postgres'): Service =>
  serviceSchema.parse({ id, name: id, engine, connection: { host: 'db', port: 5432, database: id, user: 'u', password: { kind: 'keychain' } }, policy });

describe('repositoriesInUse', () => {
  it('lists the fleet repository first, then each service’s own and its copies, with who uses them for what', () => {
    const list = repositoriesInUse(
      [service('orders', { repositories: [FLEET, '/mnt/offsite'] }), service('billing', {}), service('ledger', { repository: 's3://b/p' }), service('crm', {}, 'sqlserver')],
      FLEET,
      ['/mnt/spare'],
    );
    expect(list.map((r) => [r.location, r.storage, r.isFleetRepository, r.uses.map((u) => `${u.serviceId}:${u.role}`)])).toEqual([
      [FLEET, 'azure', true, ['orders:first', 'billing:first']],
      ['/mnt/offsite', 'folder', false, ['orders:copy']],
      ['s3://b/p', 's3', false, ['ledger:first']],
      ['/mnt/spare', 'folder', false, []],
    ]);
  });

  it('leaves out services whose backups pgBackRest or Barman keep', () => {
    const list = repositoriesInUse([service('old', { engine: 'barman', barman: { server: 'pg' }, repository: '/x' })], FLEET);
    expect(list.map((r) => r.location)).toEqual([FLEET]);
  });
});

describe('policyWithRepositories', () => {
  it('writes several repositories as policy.repositories, first first, and drops an older repository', () => {
    const policy = policyWithRepositories({ rpo: '15m', repository: '/old' }, [FLEET, ' /mnt/offsite ', ''], FLEET);
    expect(policy).toEqual({ rpo: '15m', repositories: [FLEET, '/mnt/offsite'] });
    expect(repositoriesOf({ policy }, FLEET)).toEqual([FLEET, '/mnt/offsite']);
  });

  it('writes one repository as policy.repository, or nothing when it is the fleet’s', () => {
    expect(policyWithRepositories({ repositories: [FLEET, '/b'] }, ['/b'], FLEET)).toEqual({ repository: '/b' });
    expect(policyWithRepositories({ repositories: [FLEET, '/b'] }, [FLEET], FLEET)).toEqual({});
    expect(repositoriesOf({ policy: {} }, FLEET)).toEqual([FLEET]);
  });
});

describe('the service wizard, editing', () => {
  it('keeps the repositories, schedules, team and contacts it does not edit', () => {
    const before = serviceSchema.parse({
      ...service('orders', { rpo: '15m', repositories: [FLEET, '/mnt/offsite'], schedules: [{ kind: 'physical', cron: '0 2 * * *', timeZone: 'UTC' }] }),
      team: 'payments',
      contacts: [{ name: 'Ana' }],
    });
    const after = serviceSchema.parse(serviceFromDraft({ ...draftFromService(before), rpo: '5m' }, before));
    expect(after).toEqual({ ...before, policy: { ...before.policy, rpo: '5m' } });
  });
});
