// The other way to get WAL into the repository: the database server archives by itself. Shows the two lines
// for its postgresql.conf (asynchronous wal-push, prefetching wal-get) and the key file they read, copyable.
//
// Names for end-to-end tests: group "Archive from the server" (data-testid="wal-server-commands", a <details>),
//   data-testid="wal-archive-command" and "wal-restore-command" (<pre>), buttons "Copy" next to each.
import type { WalStatusView } from '../../../../shared/recovery';
import { CopyButton } from '../../components/CopyButton';

export function ServerArchivingLines({ commands }: { commands: WalStatusView['serverCommands'] }) {
  const lines = [
    { id: 'wal-archive-command', setting: 'archive_command', value: commands.archiveCommand },
    { id: 'wal-restore-command', setting: 'restore_command', value: commands.restoreCommand },
  ];
  return (
    <details className="wal__server" data-testid="wal-server-commands">
      <summary>Archive from the server instead</summary>
      <p className="muted">
        Instead of streaming, the server can hand each finished segment to Lifeboat itself: put these lines in its{' '}
        <code>postgresql.conf</code> (with <code>archive_mode = on</code>) and reload. The pusher stores several segments at once in
        the background and answers for a segment only once it is in the repository; the restore line keeps the next segments
        staged while a recovery replays.
        {commands.keyFile && (
          <>
            {' '}
            The postgres account has no keychain: write the key to <span className="mono">{commands.keyFile}</span>, readable only
            by that account (<code>lifeboat repo key export</code>).
          </>
        )}
      </p>
      {lines.map((l) => (
        <div key={l.id} className="commands__command">
          <pre id={l.id} className="commands__pre" data-testid={l.id}>
            {`${l.setting} = '${l.value.replace(/'/g, "''")}'`}
          </pre>
          <CopyButton text={`${l.setting} = '${l.value.replace(/'/g, "''")}'`} describedBy={l.id} />
        </div>
      ))}
    </details>
  );
}
