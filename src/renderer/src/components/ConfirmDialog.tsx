// Asks before an action (a destructive one by default); the action's error, if any, is shown in place and the
// dialog stays open.
import { useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { WireError } from '../../../shared/errors';
import { toWireError } from '../client/lifeboatClient';
import { Button } from './Button';
import { Dialog } from './Dialog';
import { ErrorNotice } from './ErrorNotice';

export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Runs the action; the dialog closes when it resolves. */
  onConfirm(): Promise<void>;
  onClose(): void;
  testId?: string;
  /** 'primary' for an action that destroys nothing (e.g. starting a backup); 'danger' by default. */
  confirmVariant?: 'danger' | 'primary';
  confirmTestId?: string;
}

export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onClose, testId, confirmVariant = 'danger', confirmTestId }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<WireError>();
  // Focus starts on Cancel: a stray Enter must not destroy anything.
  const cancelRef = useRef<HTMLButtonElement>(null);

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      onClose();
    } catch (err) {
      setError(toWireError(err));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={title}
      onClose={onClose}
      testId={testId}
      initialFocusRef={cancelRef}
      footer={
        <>
          <Button ref={cancelRef} onClick={onClose}>
            Cancel
          </Button>
          <Button variant={confirmVariant} busy={busy} onClick={confirm} data-testid={confirmTestId}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {children}
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}
