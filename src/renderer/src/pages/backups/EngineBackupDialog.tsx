// "Back up with pgBackRest / Barman": the engine the service already runs takes the backup, as a Lifeboat job
// with its progress and Cancel in the jobs panel. pgBackRest offers its three types; Barman has one.
//
// Names for end-to-end tests: dialog "Back up with pgBackRest" / "Back up with Barman"
// (data-testid="engine-backup-dialog"); pgBackRest: radios "Full", "Differential", "Incremental" and
// "pgBackRest's default" in group "Backup type"; buttons "Cancel" and "Start backup" (data-testid="engine-backup-start").
import { useState } from 'react';
import type { Job } from '../../../../shared/jobs';
import { appClient } from '../../client/appClient';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ChoiceGroup } from '../../components/Field';
import { useJobsStore } from '../../stores/jobsStore';

type PgBackRestType = 'default' | 'full' | 'diff' | 'incr';

const TYPE_OPTIONS = [
  { value: 'full', label: 'Full', description: 'Every file: no dependency on earlier backups.' },
  { value: 'diff', label: 'Differential', description: 'What changed since the last full backup.' },
  { value: 'incr', label: 'Incremental', description: 'What changed since the last backup of any type.' },
  { value: 'default', label: "pgBackRest's default", description: 'Incremental, or full when there is none (its type option may say otherwise).' },
] as const;

export interface EngineBackupDialogProps {
  serviceId: string;
  engine: 'pgbackrest' | 'barman';
  onClose(): void;
  onStarted(job: Job): void;
}

export function EngineBackupDialog({ serviceId, engine, onClose, onStarted }: EngineBackupDialogProps) {
  const [type, setType] = useState<PgBackRestType>('default');
  const remember = useJobsStore((s) => s.remember);
  const label = engine === 'pgbackrest' ? 'pgBackRest' : 'Barman';

  // ConfirmDialog shows a refusal in place and keeps the dialog open; it closes once the job has started.
  const start = async () => {
    const [job] = await appClient().call('backups.start', { serviceIds: [serviceId], kind: 'physical', ...(engine === 'pgbackrest' && type !== 'default' ? { type } : {}) });
    remember([job!]);
    onStarted(job!);
  };

  return (
    <ConfirmDialog title={`Back up with ${label}`} confirmLabel="Start backup" confirmVariant="primary" onConfirm={start} onClose={onClose} testId="engine-backup-dialog" confirmTestId="engine-backup-start">
      <p>
        {label} takes the backup into its own repository, as it does on its schedule; Lifeboat follows it as a job (progress and
        Cancel in the jobs panel) and lists it here when it is done.
      </p>
      {engine === 'pgbackrest' && <ChoiceGroup<PgBackRestType> legend="Backup type" name="pgbackrest-type" value={type} options={TYPE_OPTIONS} onChange={setType} />}
    </ConfirmDialog>
  );
}
