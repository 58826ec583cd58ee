// The exact commands to restore the whole cluster on its own server to the same target (restore.commands):
// each step with its title, why it is there, and its commands in copyable blocks.
//
// Names for end-to-end tests (Playwright role / label selectors):
//   dialog "Restore the whole cluster" (data-testid="commands-dialog"); list "Steps" with items
//   data-testid="commands-step-<i>" (heading = the step's title); each command a <pre>
//   (data-testid="commands-command-<i>-<j>") with button "Copy" (data-testid="commands-copy-<i>-<j>");
//   button "Copy all" (data-testid="commands-copy-all"), "Done" closes; errors data-testid="commands-error".
import { useEffect, useState } from 'react';
import type { WireError } from '../../../../shared/errors';
import type { RestoreCommandsView } from '../../../../shared/recovery';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import type { RestoreTarget } from './targetDraft';

export interface RestoreCommandsDialogProps {
  serviceId: string;
  target: RestoreTarget;
  onClose(): void;
}

/** One script for "Copy all": each step as a comment, then its commands. */
export function commandsScript(view: RestoreCommandsView): string {
  const head = `# Restore ${view.serviceId} to ${view.target} from base backup ${view.backupId} (Lifeboat)`;
  return [head, ...view.steps.map((s, i) => [`# ${i + 1}. ${s.title} — ${s.why}`, ...s.commands].join('\n'))].join('\n\n') + '\n';
}

export function RestoreCommandsDialog({ serviceId, target, onClose }: RestoreCommandsDialogProps) {
  const [view, setView] = useState<RestoreCommandsView>();
  const [error, setError] = useState<WireError>();

  useEffect(() => {
    const controller = new AbortController();
    appClient()
      .call('restore.commands', { serviceId, target }, { signal: controller.signal })
      .then(setView, (err: unknown) => {
        if (!controller.signal.aborted) setError(toWireError(err));
      });
    return () => controller.abort();
  }, [serviceId, target]);

  return (
    <Dialog
      title="Restore the whole cluster"
      size="lg"
      onClose={onClose}
      testId="commands-dialog"
      footer={
        <>
          {view && <CopyButton text={commandsScript(view)} label="Copy all" testId="commands-copy-all" />}
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        </>
      }
    >
      {!view && !error && <p className="muted">Preparing the commands…</p>}
      {error && <ErrorNotice error={error} testId="commands-error" />}
      {view && (
        <>
          <p>
            To restore <span className="mono">{view.serviceId}</span> in place to {view.target}, from base backup{' '}
            <span className="mono">{view.backupId}</span>. Run them on the database server, as the operating-system user that owns
            the data directory. The current data directory is kept, not deleted.
          </p>
          <ol className="commands" aria-label="Steps">
            {view.steps.map((step, i) => (
              <li key={step.title} className="commands__step" data-testid={`commands-step-${i}`}>
                <h3 className="commands__title">{step.title}</h3>
                <p className="muted">{step.why}</p>
                {step.commands.map((command, j) => {
                  const id = `commands-${i}-${j}`;
                  return (
                    <div key={j} className="commands__command">
                      <pre id={id} className="commands__pre" data-testid={`commands-command-${i}-${j}`}>
                        {command}
                      </pre>
                      <CopyButton text={command} describedBy={id} testId={`commands-copy-${i}-${j}`} />
                    </div>
                  );
                })}
              </li>
            ))}
          </ol>
        </>
      )}
    </Dialog>
  );
}
