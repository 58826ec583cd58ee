// What the TDS test double remembers of each connection, so tests can assert on the exact T-SQL a client
// sent, with its parameters, its login and its database.
import type { TdsRequestView } from './tdsFixtures';
import type { EncryptionOption } from './tdsPrelogin';

export interface TdsLoginRecord {
  user: string;
  /** The database the client asked for in LOGIN7 (empty: the login's default). */
  requestedDatabase: string;
  appName: string;
  hostName: string;
  /** The server name the client believes it connected to. */
  serverName: string;
  library: string;
  packetSize: number;
  readOnlyIntent: boolean;
  accepted: boolean;
  /** Why a login failed, as SQL Server's error log would say: the state there (8 = wrong password, 5 = no such
   * login, 38 = database cannot be opened). The client only ever sees state 1. */
  failure?: { numbers: number[]; logState: number; reason: string };
}

export interface TdsRequestRecord extends TdsRequestView {
  /** Which rule answered: its name, or its position ("rule #2"); undefined when none matched. */
  answeredBy?: string;
  /** Session chatter the double answers itself (tedious's SET options, mssql's "SELECT 1;" health check). */
  housekeeping: boolean;
  unmatched: boolean;
  /** The client sent ATTENTION while this request ran; the double stopped and acknowledged. */
  cancelled: boolean;
  receivedAt: number;
}

export interface TdsConnectionRecord {
  id: number;
  /** The encryption the client asked for in PRELOGIN (ON when it wants TLS). */
  clientEncryption?: EncryptionOption;
  /** The instance name the client sent in PRELOGIN, empty for the default instance. */
  clientInstance?: string;
  /** Absent when the client hung up before LOGIN7, e.g. because it would not log in unencrypted. */
  login?: TdsLoginRecord;
  /** The client started a TLS handshake after the double answered ENCRYPT_REQ; the double hung up. */
  tlsHandshakeAttempted: boolean;
  requests: TdsRequestRecord[];
  attentions: number;
  closed: boolean;
}
