// One client connection to the TDS test double: PRELOGIN, LOGIN7, then requests answered from fixtures,
// with ATTENTION (cancel) honoured while an answer is still being streamed.
import type { Socket } from 'node:net';
import type { TdsRequestView, TdsRow, TdsStep } from './tdsFixtures';
import type { ClientLogin7 } from './tdsLogin7';
import { decodeLogin7 } from './tdsLogin7';
import { PACKET_TYPE, type TdsClientMessage, TdsMessageReader, TdsPacketWriter, TdsResponseMessage } from './tdsPackets';
import { buildServerPrelogin, type EncryptionOption, parseClientPrelogin } from './tdsPrelogin';
import type { TdsConnectionRecord, TdsRequestRecord } from './tdsRecords';
import { type DecodedRequest, decodeRpc, decodeSqlBatch } from './tdsRequests';
import {
  collationChange,
  colMetadata,
  CURRENT_COMMAND,
  databaseChange,
  done,
  doneInProc,
  doneProc,
  DONE_STATUS,
  type EncodedColumn,
  languageChange,
  loginAck,
  packetSizeChange,
  returnStatus,
  row,
  type ServerMessage,
  serverMessage,
} from './tdsTokens';
import { DEFAULT_COLLATION, parseSqlType, type TdsCellValue } from './tdsTypes';

export type LoginOutcome =
  | { accepted: true; database: string }
  | { accepted: false; messages: Array<Pick<ServerMessage, 'number' | 'state' | 'class' | 'message'>>; logState: number; reason: string };

export interface RuleAnswer {
  answeredBy: string;
  housekeeping: boolean;
  steps: readonly TdsStep[];
}

/** What a session needs from the double as a whole. */
export interface TdsSessionHost {
  serverName: string;
  version: readonly number[];
  encryption: EncryptionOption;
  authenticate(login: ClientLogin7): LoginOutcome;
  /** The answer to a request, or undefined when no rule matches. */
  answer(request: TdsRequestView): Promise<RuleAnswer | undefined>;
}

const DEFAULT_PACKET_SIZE = 4096;
/** Time a rejected client gets to read the login error and hang up before the double closes the socket. */
const LOGIN_FAILURE_GRACE_MS = 2000;

export class TdsSession {
  private readonly reader = new TdsMessageReader((message) => this.onMessage(message));
  private readonly writer: TdsPacketWriter;
  private phase: 'prelogin' | 'login' | 'loggedIn' | 'closing' = 'prelogin';
  private queue: Promise<void> = Promise.resolve();
  /** The request being answered (or queued): ATTENTION aborts it. */
  private current: AbortController | undefined;
  private user = '';
  private database = '';

  constructor(
    private readonly socket: Socket,
    private readonly host: TdsSessionHost,
    readonly record: TdsConnectionRecord,
  ) {
    this.writer = new TdsPacketWriter(socket, 50 + record.id);
    socket.on('data', (data: Buffer) => {
      try {
        this.reader.push(data);
      } catch {
        // A malformed stream: a real server drops the connection, and so does the double.
        socket.destroy();
      }
    });
    socket.on('close', () => {
      record.closed = true;
      this.current?.abort();
    });
    // Clients reset connections all the time (e.g. after a failed login); that is not a double failure.
    socket.on('error', () => undefined);
  }

  private onMessage(message: TdsClientMessage): void {
    if (message.type === PACKET_TYPE.ATTENTION) {
      this.record.attentions += 1;
      if (this.current) this.current.abort();
      else if (this.phase === 'loggedIn') this.sendAttentionAck();
      return;
    }
    switch (this.phase) {
      case 'prelogin':
        if (message.type !== PACKET_TYPE.PRELOGIN) return this.hangUp();
        return this.onPrelogin(message.data);
      case 'login':
        // After ENCRYPT_REQ a client that agrees starts TLS, wrapped in PRELOGIN packets: the double cannot.
        if (message.type === PACKET_TYPE.PRELOGIN) {
          this.record.tlsHandshakeAttempted = true;
          return this.hangUp();
        }
        if (message.type !== PACKET_TYPE.LOGIN7) return this.hangUp();
        return this.onLogin7(message.data);
      case 'loggedIn': {
        const abort = new AbortController();
        this.current = abort;
        this.queue = this.queue
          .then(() => this.onRequest(message, abort.signal))
          .catch(() => this.hangUp())
          .finally(() => {
            if (this.current === abort) this.current = undefined;
          });
        return;
      }
      case 'closing':
        return;
    }
  }

  private onPrelogin(data: Buffer): void {
    const prelogin = parseClientPrelogin(data);
    this.record.clientEncryption = prelogin.encryption;
    this.record.clientInstance = prelogin.instance;
    this.writer.send(PACKET_TYPE.TABULAR_RESULT, buildServerPrelogin(this.host.version, this.host.encryption), true);
    this.phase = 'login';
  }

  private onLogin7(data: Buffer): void {
    const login = decodeLogin7(data);
    const outcome = this.host.authenticate(login);
    const packetSize = Math.min(32767, Math.max(512, login.packetSize || DEFAULT_PACKET_SIZE));
    this.record.login = {
      user: login.userName,
      requestedDatabase: login.database,
      appName: login.appName,
      hostName: login.hostName,
      serverName: login.serverName,
      library: login.library,
      packetSize,
      readOnlyIntent: login.readOnlyIntent,
      accepted: outcome.accepted,
      failure: outcome.accepted
        ? undefined
        : { numbers: outcome.messages.map((m) => m.number), logState: outcome.logState, reason: outcome.reason },
    };
    const response = new TdsResponseMessage(this.writer);
    if (!outcome.accepted) {
      for (const m of outcome.messages) response.write(serverMessage('error', this.fullMessage(m, 1)));
      response.write(done(DONE_STATUS.ERROR));
      response.end();
      // SQL Server closes a connection whose login failed; give the client time to read why first.
      this.phase = 'closing';
      const timer = setTimeout(() => this.socket.end(), LOGIN_FAILURE_GRACE_MS);
      timer.unref();
      return;
    }
    this.user = login.userName;
    this.database = outcome.database;
    // The order SQL Server uses: database, collation, language, LOGINACK, packet size, DONE.
    response.write(databaseChange(outcome.database, 'master'));
    response.write(serverMessage('info', this.fullMessage({ number: 5701, state: 2, class: 0, message: `Changed database context to '${outcome.database}'.` }, 1)));
    response.write(collationChange(DEFAULT_COLLATION));
    response.write(languageChange('us_english'));
    response.write(serverMessage('info', this.fullMessage({ number: 5703, state: 1, class: 0, message: 'Changed language setting to us_english.' }, 1)));
    response.write(loginAck('Microsoft SQL Server', this.host.version));
    response.write(packetSizeChange(packetSize, DEFAULT_PACKET_SIZE));
    response.write(done(DONE_STATUS.FINAL));
    response.end();
    this.writer.packetSize = packetSize;
    this.phase = 'loggedIn';
  }

  private async onRequest(message: TdsClientMessage, signal: AbortSignal): Promise<void> {
    const inProcedure = message.type === PACKET_TYPE.RPC_REQUEST;
    if (message.ignored) {
      // The client abandoned the request before finishing it: a lone DONE, no attention acknowledgement.
      const response = new TdsResponseMessage(this.writer);
      response.write(done(DONE_STATUS.FINAL));
      response.end();
      return;
    }
    let decoded: DecodedRequest;
    try {
      if (message.type === PACKET_TYPE.SQL_BATCH) decoded = decodeSqlBatch(message.data);
      else if (inProcedure) decoded = decodeRpc(message.data);
      else {
        const kind = message.type === PACKET_TYPE.TRANSACTION_MANAGER ? 'transaction manager' : `type 0x${message.type.toString(16)}`;
        await this.stream(inProcedure, [this.doubleError(`the TDS test double does not support ${kind} requests`)], signal);
        return;
      }
    } catch (error) {
      await this.stream(inProcedure, [this.doubleError(`the TDS test double could not decode the request: ${(error as Error).message}`)], signal);
      return;
    }

    const params: Record<string, TdsCellValue> = {};
    for (const parameter of decoded.parameters) params[parameter.name] = parameter.value;
    const view: TdsRequestView = { connectionId: this.record.id, ...decoded, params, user: this.user, database: this.database };
    const request: TdsRequestRecord = { ...view, housekeeping: false, unmatched: false, cancelled: false, receivedAt: Date.now() };
    this.record.requests.push(request);

    let steps: readonly TdsStep[];
    try {
      const answer = await this.host.answer(view);
      if (answer) {
        request.answeredBy = answer.answeredBy;
        request.housekeeping = answer.housekeeping;
        steps = answer.steps;
      } else {
        request.unmatched = true;
        // 2812 is "Could not find stored procedure": the nearest thing SQL Server has to "I do not know this".
        steps = [
          { kind: 'message', severity: 'error', number: 2812, state: 62, class: 16, message: `TDS test double has no fixture for: ${oneLine(decoded.sql)}` },
        ];
      }
    } catch (error) {
      steps = [this.doubleError(`a fixture of the TDS test double threw: ${(error as Error).message}`)];
    }
    request.cancelled = await this.stream(inProcedure, steps, signal);
  }

  /** Streams the answer; returns true when ATTENTION stopped it (then acknowledged in a message of its own). */
  private async stream(inProcedure: boolean, steps: readonly TdsStep[], signal: AbortSignal): Promise<boolean> {
    const response = new TdsResponseMessage(this.writer);
    const statementDone = inProcedure ? doneInProc : done;
    let failed = false;
    for (const step of steps) {
      if (signal.aborted) break;
      try {
        switch (step.kind) {
          case 'resultSet': {
            const columns: EncodedColumn[] = step.columns.map((c) => ({ name: c.name, type: parseSqlType(c.type) }));
            // Encode the whole set first, so a bad fixture value never leaves half a result on the wire.
            const tokens = [colMetadata(columns)];
            step.rows.forEach((values, i) => tokens.push(row(columns, rowValues(columns, values, i), `row ${i + 1}`)));
            tokens.push(statementDone(DONE_STATUS.MORE | DONE_STATUS.COUNT, CURRENT_COMMAND.SELECT, step.rows.length));
            for (const token of tokens) response.write(token);
            break;
          }
          case 'rowCount':
            response.write(statementDone(DONE_STATUS.MORE | DONE_STATUS.COUNT, CURRENT_COMMAND.NONE, step.count));
            break;
          case 'message':
            if (step.severity === 'error') failed = true;
            response.write(serverMessage(step.severity, this.fullMessage(step, step.lineNumber ?? 1)));
            break;
          case 'delay':
            response.flush();
            await pause(step.ms, signal);
            break;
        }
      } catch (error) {
        failed = true;
        response.write(serverMessage('error', this.fullMessage(this.doubleError((error as Error).message), 1)));
      }
    }
    if (signal.aborted) {
      // Tedious reads the rest of the interrupted answer, then expects the acknowledgement in the next
      // message; a client that follows MS-TDS reads on until it finds it. Both are served by two messages.
      response.write(inProcedure ? doneProc(DONE_STATUS.FINAL) : done(DONE_STATUS.FINAL));
      response.end();
      this.sendAttentionAck();
      return true;
    }
    if (inProcedure) {
      response.write(returnStatus(0));
      response.write(doneProc(failed ? DONE_STATUS.ERROR : DONE_STATUS.FINAL));
    } else {
      response.write(done(failed ? DONE_STATUS.ERROR : DONE_STATUS.FINAL));
    }
    response.end();
    return false;
  }

  private sendAttentionAck(): void {
    const ack = new TdsResponseMessage(this.writer);
    ack.write(done(DONE_STATUS.ATTN));
    ack.end();
  }

  private doubleError(message: string): Extract<TdsStep, { kind: 'message' }> {
    return { kind: 'message', severity: 'error', number: 50000, state: 1, class: 16, message };
  }

  private fullMessage(m: Pick<ServerMessage, 'number' | 'state' | 'class' | 'message'> & { procName?: string }, lineNumber: number): ServerMessage {
    return { ...m, serverName: this.host.serverName, procName: m.procName ?? '', lineNumber };
  }

  private hangUp(): void {
    this.phase = 'closing';
    this.socket.destroy();
  }
}

function rowValues(columns: readonly EncodedColumn[], values: TdsRow, index: number): Array<TdsCellValue | undefined> {
  if (Array.isArray(values)) {
    if (values.length !== columns.length) {
      throw new Error(`row ${index + 1} has ${values.length} values for ${columns.length} columns`);
    }
    return [...values];
  }
  const byName = values as Record<string, TdsCellValue>;
  const unknown = Object.keys(byName).filter((key) => !columns.some((c) => c.name === key));
  if (unknown.length) throw new Error(`row ${index + 1} names columns the result set does not have: ${unknown.join(', ')}`);
  return columns.map((c) => byName[c.name]);
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const finish = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    signal.addEventListener('abort', finish, { once: true });
  });
}

function oneLine(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}...` : flat;
}
