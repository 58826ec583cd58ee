// The wizard's "Backed up by" fields in and out of a service: pgBackRest's stanza, config, repository and
// account, Barman's server, and the schema's errors shown on the fields that hold them.
import { describe, expect, it } from 'vitest';
import { serviceSchema } from '../../../src/shared/domain';
import { draftErrors, draftFromService, emptyDraft, serviceFromDraft, type WizardDraft } from '../../../src/renderer/src/pages/wizard/wizardDraft';

const base: WizardDraft = { ...emptyDraft('postgres'), host: 'db1', database: 'shop', user: 'backup', id: 'shop', name: 'Shop' };

describe('the wizard and the backup engine', () => {
  it("writes pgBackRest's coordinates into the policy and reads them back", () => {
    const input = serviceFromDraft({ ...base, backupEngine: 'pgbackrest', engineName: 'main', engineConfig: '/etc/pgbackrest/pgbackrest.conf', engineRepo: '2', engineOsUser: 'postgres' });
    expect(input.policy).toEqual({ engine: 'pgbackrest', pgbackrest: { stanza: 'main', config: '/etc/pgbackrest/pgbackrest.conf', repo: 2, osUser: 'postgres' } });
    const service = serviceSchema.parse(input);
    expect(draftFromService(service)).toMatchObject({ backupEngine: 'pgbackrest', engineName: 'main', engineRepo: '2', engineOsUser: 'postgres' });
  });

  it('writes no engine for Lifeboat, and Barman with its server', () => {
    expect(serviceFromDraft(base).policy).toEqual({});
    expect(serviceFromDraft({ ...base, backupEngine: 'barman', engineName: 'pg' }).policy).toEqual({ engine: 'barman', barman: { server: 'pg', config: undefined, osUser: undefined } });
  });

  it('shows a missing stanza on the stanza field', () => {
    const parsed = serviceSchema.safeParse(serviceFromDraft({ ...base, backupEngine: 'pgbackrest' }));
    expect(parsed.success).toBe(false);
    const errors = Object.fromEntries(parsed.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(Object.keys(draftErrors(errors))).toEqual(['engineName']);
  });
});
