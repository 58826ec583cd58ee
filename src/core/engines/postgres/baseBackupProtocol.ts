// BASE_BACKUP over the streaming replication protocol, read by Lifeboat itself: one tar stream per tablespace
// and the server's backup_manifest, each handed to the caller as it arrives. Used for clusters with extra
// tablespaces, which pg_basebackup can only write as files into a folder (plaintext on disk) and refuses to
// write to a stream. Speaks both forms of the command's answer: PostgreSQL 15 and newer send every archive in
// one COPY stream with a type byte per message; 13 and 14 send one COPY stream per tablespace, base last,
// then one for the manifest.
import { PassThrough, type Readable } from 'node:stream';
import pg from 'pg';
import { LifeboatError } from '../../lifeboatError';

export interface BaseBackupRequest {
  client: pg.Client;
  /** The server's major version: it decides the command's syntax and the shape of its answer. */
  serverMajor: number;
  label: string;
  fastCheckpoint: boolean;
  /** KiB per second, as MAX_RATE takes it. */
  maxRateKb?: number;
  signal?: AbortSignal;
}

export interface TablespaceInfo {
  /** null for the main data directory. */
  oid: string | null;
  location: string | null;
  sizeKb: number;
}

export interface BackupArchive {
  /** null: the main data directory (base.tar); else the tablespace's OID (<oid>.tar). */
  oid: string | null;
  location: string | null;
  /** The tar, as the server sends it. */
  tar: Readable;
}

export interface BaseBackupCallbacks {
  onTablespaces?(tablespaces: TablespaceInfo[]): void;
  /** One archive after another; the backup waits for the promise before it reads on (backpressure). */
  onArchive(archive: BackupArchive): Promise<void>;
  onManifest?(manifest: Buffer): void;
  /** Bytes sent so far, with the total the server estimated. */
  onProgress?(done: number, total: number): void;
}

export interface BaseBackupResult {
  startLsn: string;
  stopLsn: string;
  timeline: number;
  tablespaces: TablespaceInfo[];
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function baseBackupCommand(r: Pick<BaseBackupRequest, 'serverMajor' | 'label' | 'fastCheckpoint' | 'maxRateKb'>): string {
  if (r.serverMajor >= 15) {
    // WAIT 0: the WAL travels inside the backup, so it need not wait for the archiver (as pg_basebackup -X fetch).
    const options = [`LABEL ${quote(r.label)}`, 'PROGRESS', ...(r.fastCheckpoint ? ["CHECKPOINT 'fast'"] : []), 'WAL', 'WAIT 0', `MANIFEST 'yes'`, 'TABLESPACE_MAP'];
    if (r.maxRateKb) options.push(`MAX_RATE ${r.maxRateKb}`);
    return `BASE_BACKUP ( ${options.join(', ')} )`;
  }
  // 13 and 14 know only the old syntax (and MANIFEST since 13).
  return ['BASE_BACKUP', `LABEL ${quote(r.label)}`, 'PROGRESS', r.fastCheckpoint ? 'FAST' : '', 'WAL', 'NOWAIT', r.maxRateKb ? `MAX_RATE ${r.maxRateKb}` : '', 'TABLESPACE_MAP', `MANIFEST 'yes'`].filter(Boolean).join(' ');
}

/** A pg "submittable": the client routes every message of the command's answer to it. */
class BaseBackupQuery {
  private resultSets: Array<Array<Array<string | null>>> = [];
  /** The result set being received (a RowDescription starts one; the server ends them without CommandComplete). */
  private rows: Array<Array<string | null>> | undefined;
  private tablespaces: TablespaceInfo[] = [];
  /** The archive being received, and the promise of its consumer. */
  private current: { archive: BackupArchive; stream: PassThrough; done: Promise<void> } | undefined;
  private consumers: Promise<void>[] = [];
  private manifest: Buffer[] | undefined;
  private archivesSeen = 0;
  private total = 0;
  private done = 0;
  private failure: unknown;
  private connection: { stream: { pause(): void; resume(): void }; query(text: string): void; removeListener(event: string, fn: (...a: unknown[]) => void): void; on(event: string, fn: (...a: unknown[]) => void): void } | undefined;
  private readonly onCopyOut = () => this.beginLegacyStream();
  private readonly onCopyDone = () => this.endLegacyStream();
  readonly finished: Promise<BaseBackupResult>;
  private settle!: { resolve(r: BaseBackupResult): void; reject(e: unknown): void };

  constructor(
    private readonly text: string,
    private readonly legacy: boolean,
    private readonly callbacks: BaseBackupCallbacks,
  ) {
    this.finished = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  submit(connection: NonNullable<BaseBackupQuery['connection']>): void {
    this.connection = connection;
    if (this.legacy) {
      // 13 and 14 tell where one tar ends only by the COPY stream's own start and end.
      connection.on('copyOutResponse', this.onCopyOut);
      connection.on('copyDone', this.onCopyDone);
    }
    connection.query(this.text);
  }

  handleRowDescription(): void {
    this.closeResultSet();
    this.rows = [];
  }

  handleDataRow(msg: { fields: Array<string | null> }): void {
    this.rows?.push(msg.fields);
  }

  handleCommandComplete(): void {
    this.closeResultSet();
  }

  /** Result sets come in order: the start position, the tablespaces, and after the archives the end position. */
  private closeResultSet(): void {
    if (!this.rows) return;
    this.resultSets.push(this.rows);
    this.rows = undefined;
    if (this.resultSets.length === 2) {
      this.tablespaces = this.resultSets[1]!.map((r) => ({ oid: r[0] ?? null, location: r[1] ?? null, sizeKb: Number(r[2] ?? 0) }));
      this.total = this.tablespaces.reduce((n, t) => n + t.sizeKb * 1024, 0);
      this.callbacks.onTablespaces?.(this.tablespaces);
    }
  }

  handleCopyData(msg: { chunk: Buffer }): void {
    this.closeResultSet();
    if (this.failure) return;
    if (this.legacy) return this.write(msg.chunk);
    const type = String.fromCharCode(msg.chunk[0]!);
    const body = msg.chunk.subarray(1);
    if (type === 'n') {
      // New archive: its file name and the tablespace's path, each NUL-terminated.
      const name = body.subarray(0, body.indexOf(0)).toString();
      const oid = name === 'base.tar' ? null : name.replace(/\.tar$/, '');
      this.begin(oid);
    } else if (type === 'm') {
      this.end();
      this.manifest = [];
    } else if (type === 'd') this.write(body);
    else if (type === 'p') {
      this.done = Number(body.readBigInt64BE(0));
      this.callbacks.onProgress?.(this.done, this.total);
    }
  }

  private beginLegacyStream(): void {
    this.closeResultSet();
    // Tablespaces arrive in the order the server listed them (the main directory last), then the manifest.
    const next = this.tablespaces[this.archivesSeen];
    if (next) this.begin(next.oid);
    else this.manifest = [];
  }

  private endLegacyStream(): void {
    if (this.manifest === undefined) this.end();
  }

  private begin(oid: string | null): void {
    this.end();
    this.archivesSeen++;
    const stream = new PassThrough({ highWaterMark: 4 << 20 });
    const archive: BackupArchive = { oid, location: this.tablespaces.find((t) => t.oid === oid)?.location ?? null, tar: stream };
    const done = this.callbacks.onArchive(archive).catch((err) => {
      this.fail(err);
    });
    // The server's data waits while the consumer (compression, encryption, disk) catches up.
    stream.on('drain', () => this.connection?.stream.resume());
    this.current = { archive, stream, done };
    this.consumers.push(done);
  }

  private write(chunk: Buffer): void {
    if (this.manifest) {
      this.manifest.push(Buffer.from(chunk));
      return;
    }
    if (!this.current) return this.fail(new LifeboatError('INTERNAL', 'BASE_BACKUP sent data outside an archive.', 'Report this with the server version.'));
    if (this.legacy) {
      this.done += chunk.length;
      this.callbacks.onProgress?.(this.done, this.total);
    }
    // pg hands out slices of its read buffer: copy, since the consumer keeps them past this call.
    if (!this.current.stream.write(Buffer.from(chunk))) this.connection?.stream.pause();
  }

  private end(): void {
    if (!this.current) return;
    this.current.stream.end();
    this.current = undefined;
    // A write that found the archive's buffer full paused the socket until 'drain', but an ended stream never
    // emits 'drain': when the archive's end came in the same read as that write, the socket stayed paused and
    // the next archive, the manifest and the end position never came (a backup that hung with every byte
    // copied, seen on PostgreSQL 14). The ended archive's consumer empties its own buffer meanwhile.
    this.connection?.stream.resume();
  }

  private fail(err: unknown): void {
    this.failure ??= err;
    this.current?.stream.destroy(err as Error);
    this.connection?.stream.resume();
  }

  handleError(err: unknown): void {
    this.fail(err);
  }

  /**
   * The caller gave up (a cancel): fails the archive being received and settles now, since a connection that
   * is being closed sends no ReadyForQuery.
   */
  abandon(reason: unknown): void {
    this.fail(reason);
    this.settle.reject(reason);
  }

  handleEmptyQuery(): void {}

  handlePortalSuspended(): void {}

  handleCopyInResponse(): void {}

  async handleReadyForQuery(): Promise<void> {
    this.closeResultSet();
    this.end();
    if (this.legacy) {
      this.connection?.removeListener('copyOutResponse', this.onCopyOut);
      this.connection?.removeListener('copyDone', this.onCopyDone);
    }
    await Promise.all(this.consumers);
    if (this.manifest) this.callbacks.onManifest?.(Buffer.concat(this.manifest));
    const first = this.resultSets[0]?.[0];
    const last = this.resultSets.at(-1)?.[0];
    if (this.failure) return this.settle.reject(this.failure);
    if (!first || !last || this.resultSets.length < 3)
      return this.settle.reject(new LifeboatError('INTERNAL', 'BASE_BACKUP ended without its start and end positions.', 'Check the server log for the walsender.'));
    this.settle.resolve({ startLsn: first[0]!, stopLsn: last[0]!, timeline: Number(last[1] ?? first[1]), tablespaces: this.tablespaces });
  }
}

/**
 * Runs BASE_BACKUP on a client connected with replication=true (physical). Resolves with the positions once
 * every archive's consumer has finished; an error from the server or a consumer rejects, and the caller's
 * abort signal ends the connection (the walsender then abandons the backup).
 */
export async function streamBaseBackup(r: BaseBackupRequest, callbacks: BaseBackupCallbacks): Promise<BaseBackupResult> {
  const query = new BaseBackupQuery(baseBackupCommand(r), r.serverMajor < 15, callbacks);
  const abort = () => {
    query.abandon(r.signal!.reason);
    void r.client.end().catch(() => undefined);
  };
  r.signal?.addEventListener('abort', abort, { once: true });
  try {
    void r.client.query(query as unknown as pg.Submittable);
    return await query.finished;
  } finally {
    r.signal?.removeEventListener('abort', abort);
  }
}
