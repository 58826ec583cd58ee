// In place of "Find the moment" on the Recovery tab of a service that pgBackRest or Barman backs up: why the
// search does not run there and what to do instead, in the words the core and `lifeboat find` refuse it with.
//
// Names for end-to-end tests: region "Find the moment" (data-testid="find-engine-note"), the code
// data-testid="find-engine-code".
import { useId } from 'react';
import { backupEngineOf, type Service } from '../../../../shared/domain';
import { findMomentByEngineError } from '../../../../shared/findMomentByEngine';

export function FindMomentEngineNote({ service }: { service: Service }) {
  const headingId = useId();
  const engine = backupEngineOf(service);
  if (engine === 'lifeboat') return null;
  const why = findMomentByEngineError(service.id, engine, engine === 'pgbackrest' ? (service.policy.pgbackrest?.stanza ?? '') : (service.policy.barman?.server ?? ''));
  return (
    <section className="panel find-moment" aria-labelledby={headingId} data-testid="find-engine-note">
      <h2 id={headingId}>Find the moment</h2>
      <p>
        {why.message} <code data-testid="find-engine-code">{why.code}</code>
      </p>
      <p className="muted">{why.hint}</p>
    </section>
  );
}
