// Drops Lifeboat's replication slot after the DBA has read what it costs and typed the slot's name.
//
// Names for end-to-end tests: dialog "Drop replication slot <name>?" (data-testid="drop-slot-dialog");
// textbox "Type <name> to drop it" (data-testid="drop-slot-confirm"); buttons "Cancel" and "Drop slot"
// (data-testid="drop-slot-submit", enabled only when the typed text equals the name exactly).
import { useState } from 'react';
import type { WireError } from '../../../../shared/errors';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/Field';
import { replaceConfirmed } from '../backups/restoreOutcome';

export interface DropSlotDialogProps {
  serviceId: string;
  slotName: string;
  streaming: boolean;
  onClose(): void;
  onDropped(): Promise<void>;
}

export function DropSlotDialog({ serviceId, slotName, streaming, onClose, onDropped }: DropSlotDialogProps) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<WireError>();
  const confirmed = replaceConfirmed(typed, slotName);

  const drop = async () => {
    if (!confirmed || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await appClient().call('wal.dropSlot', { serviceId, confirm: typed });
      await onDropped();
      onClose();
    } catch (err) {
      setError(toWireError(err));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={
        <>
          Drop replication slot <span className="mono">{slotName}</span>?
        </>
      }
      onClose={onClose}
      testId="drop-slot-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="danger" disabled={!confirmed} busy={busy} onClick={() => void drop()} data-testid="drop-slot-submit">
            Drop slot
          </Button>
        </>
      }
    >
      <p>
        Without the slot, the server no longer keeps WAL for Lifeboat: it may recycle segments Lifeboat has not archived yet.
        The recoverable window then has a <strong>gap until the next base backup</strong>, and no restore can cross it.
      </p>
      {streaming && <p>Streaming stops first.</p>}
      <p className="muted">Drop it when the slot retains too much WAL and the disk is at risk, or when you stop protecting this service.</p>
      <div className="drop-slot__confirm">
        <TextField
          label={
            <>
              Type <span className="mono">{slotName}</span> to drop it
            </>
          }
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="off"
          data-testid="drop-slot-confirm"
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void drop();
            }
          }}
        />
      </div>
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}
