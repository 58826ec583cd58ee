// BASE_BACKUP's answer handling, driven message by message through a stand-in for pg's connection (a test
// double of the socket: the race below depends on how the kernel splits reads, which a real server cannot be
// made to do on purpose). The real protocol runs against PostgreSQL 13, 14 and 15 in tablespaces.test.ts and
// olderServers.test.ts.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { streamBaseBackup } from '../../../src/core/engines/postgres/baseBackupProtocol';

interface Handlers {
  submit(connection: unknown): void;
  handleRowDescription(): void;
  handleDataRow(msg: { fields: Array<string | null> }): void;
  handleCopyData(msg: { chunk: Buffer }): void;
  handleReadyForQuery(): Promise<void>;
}

/** pg's connection as BaseBackupQuery uses it: the socket's pause/resume, and the copy events of 13/14. */
function connectionDouble() {
  const state = { paused: false, resumes: 0 };
  return {
    state,
    connection: {
      stream: {
        pause: () => void (state.paused = true),
        resume: () => {
          state.paused = false;
          state.resumes++;
        },
      },
      query: () => undefined,
      on: () => undefined,
      removeListener: () => undefined,
    },
  };
}

const copyData = (type: string, body: Buffer = Buffer.alloc(0)) => ({ chunk: Buffer.concat([Buffer.from(type), body]) });
const resultSet = (q: Handlers, rows: Array<Array<string | null>>) => {
  q.handleRowDescription();
  for (const fields of rows) q.handleDataRow({ fields });
};

describe('streamBaseBackup (PostgreSQL 15 form)', () => {
  it('goes on reading after an archive that ended while the socket was paused for a full buffer', async () => {
    const { state, connection } = connectionDouble();
    let query: Handlers | undefined;
    const client = { query: (q: Handlers) => ((query = q), q.submit(connection)), end: async () => undefined };
    const received: Record<string, string> = {};
    let manifest = '';
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    const finished = streamBaseBackup(
      { client: client as never, serverMajor: 15, label: 'test', fastCheckpoint: true },
      {
        // The consumer starts reading only once its buffer is full and the socket paused: a slow disk.
        onArchive: async (archive: { oid: string | null; tar: Readable }) => {
          await paused;
          const hash = createHash('sha256');
          for await (const piece of archive.tar) hash.update(piece as Buffer);
          received[archive.oid ?? 'base'] = hash.digest('hex');
        },
        onManifest: (m) => (manifest = m.toString()),
      },
    );
    const q = query!;
    resultSet(q, [['0/2000028', '1']]);
    resultSet(q, [[null, null, '40960']]);
    q.handleCopyData(copyData('n', Buffer.from('base.tar\0\0')));
    // A PassThrough holds its readable and its writable high-water marks (4 MiB each) before write() says "full".
    const data = Buffer.alloc(12 << 20, 7);
    for (let i = 0; i < data.length; i += 1 << 20) q.handleCopyData(copyData('d', data.subarray(i, i + (1 << 20))));
    expect(state.paused).toBe(true);
    // The archive's end comes in the same read: no more data for it, so no 'drain' will resume the socket.
    q.handleCopyData(copyData('m'));
    expect(state.paused).toBe(false);
    q.handleCopyData(copyData('d', Buffer.from('{"PostgreSQL-Backup-Manifest-Version": 1}')));
    resultSet(q, [['0/2000100', '1']]);
    release();
    await q.handleReadyForQuery();
    expect(await finished).toMatchObject({ startLsn: '0/2000028', stopLsn: '0/2000100', timeline: 1 });
    expect(received).toEqual({ base: createHash('sha256').update(data).digest('hex') });
    expect(manifest).toBe('{"PostgreSQL-Backup-Manifest-Version": 1}');
  });

  it('settles at once when cancelled, though the closing connection sends no ReadyForQuery', async () => {
    const { connection } = connectionDouble();
    let query: Handlers | undefined;
    let ended = 0;
    const client = { query: (q: Handlers) => ((query = q), q.submit(connection)), end: async () => void ended++ };
    const controller = new AbortController();
    let archiveError: unknown;
    const finished = streamBaseBackup(
      { client: client as never, serverMajor: 15, label: 'test', fastCheckpoint: true, signal: controller.signal },
      {
        onArchive: async (archive: { tar: Readable }) => {
          try {
            for await (const piece of archive.tar) void piece;
          } catch (err) {
            archiveError = err;
          }
        },
      },
    );
    const q = query!;
    resultSet(q, [['0/2000028', '1']]);
    resultSet(q, [[null, null, '40960']]);
    q.handleCopyData(copyData('n', Buffer.from('base.tar\0\0')));
    q.handleCopyData(copyData('d', Buffer.alloc(1 << 20)));
    const reason = new Error('Cancelled by the user.');
    controller.abort(reason);
    await expect(finished).rejects.toBe(reason);
    expect(ended).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(archiveError).toBe(reason);
  });
});
