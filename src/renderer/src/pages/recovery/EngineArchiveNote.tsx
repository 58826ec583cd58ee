// On the Recovery tab of a service that pgBackRest or Barman backs up, in place of Lifeboat's WAL streaming
// panel: who archives its WAL, that the timeline below is drawn from that engine's backups and archive, and
// what the engine itself reports wrong (pgBackRest's info status, Barman's failed checks), in its words.
//
// Names for end-to-end tests: region "WAL archive" (data-testid="recovery-engine"); list
// data-testid="engine-problems".
import { backupEngineOf, type Service } from '../../../../shared/domain';
import { StatusBadge } from '../../components/StatusBadge';
import { BACKUP_ENGINE_LABEL, enginePlace } from '../../format/engineLabel';

export function EngineArchiveNote({ service, problems = [] }: { service: Service; problems?: string[] }) {
  const label = BACKUP_ENGINE_LABEL[backupEngineOf(service)];
  return (
    <section className="panel" aria-label="WAL archive" data-testid="recovery-engine">
      <p>
        <StatusBadge tone="info">{label}</StatusBadge> {label} archives this service's WAL (<span className="mono">{enginePlace(service)}</span>
        ); Lifeboat does not stream it. The timeline below is drawn from {label}'s backups and archive, and a restore runs {label}'s
        own restore with the backup Lifeboat chooses, into a scratch cluster on this computer.
      </p>
      {problems.length > 0 && (
        <ul data-testid="engine-problems">
          {problems.map((p) => (
            <li key={p}>
              <StatusBadge tone="warn">{label} reports</StatusBadge> {p}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
