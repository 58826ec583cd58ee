// A restore through pgBackRest or Barman reached through sudo (Lifeboat neither root nor the repository's owner)
// is refused before a job starts, with a message that says why and a hint naming commands that work.
import { describe, expect, it } from 'vitest';
import { restoreThroughSudoRefusal } from '../../../src/core/engines/engineRestoreAccount';

describe('restores through an engine reached with sudo', () => {
  it('are refused with PERMISSION_DENIED naming the accounts, root and the engine\'s own commands', () => {
    const refusal = restoreThroughSudoRefusal({ label: 'pgBackRest', account: { name: 'postgres', sudo: true } }, 'orders', 'dba');
    expect(refusal).toMatchObject({
      code: 'PERMISSION_DENIED',
      message: expect.stringContaining('from the account dba: it reaches postgres (the owner of pgBackRest\'s repository, the service\'s osUser) through sudo'),
      hint: 'Run Lifeboat as root or as postgres for restores and drills (e.g. sudo -u postgres npx lifeboat pitr orders --at <time-with-zone>), or restore on the database server with pgBackRest\'s own commands: lifeboat restore-commands orders --latest.',
    });
  });

  it('go ahead as root (the engine account by uid) or as the engine\'s own account', () => {
    expect(restoreThroughSudoRefusal({ label: 'Barman', account: { name: 'barman', uid: 120, gid: 120 } }, 'billing')).toBeUndefined();
    expect(restoreThroughSudoRefusal({ label: 'Barman', account: { name: 'barman' } }, 'billing')).toBeUndefined();
  });
});
