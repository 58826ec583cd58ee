// A SQL Server Browser stand-in (MS-SQLR, SSRP over UDP 1434): tells a client which TCP port a named
// instance listens on, so named-instance connections can be tested against the TDS test double.
import { createSocket, type Socket } from 'node:dgram';

const BROWSER_PORT = 1434;
const CLNT_BCAST_EX = 0x02;
const CLNT_UCAST_EX = 0x03;
const CLNT_UCAST_INST = 0x04;
const SVR_RESP = 0x05;

export interface SqlBrowserDouble {
  /** Instance names asked for (CLNT_UCAST_INST) or "*" for a request for all instances. */
  readonly lookups: string[];
  stop(): Promise<void>;
}

export async function startSqlBrowserDouble(options: {
  serverName: string;
  instanceName: string;
  version: string;
  tcpPort: number;
}): Promise<SqlBrowserDouble> {
  const socket: Socket = createSocket('udp4');
  const lookups: string[] = [];
  const answer = `ServerName;${options.serverName};InstanceName;${options.instanceName};IsClustered;No;Version;${options.version};tcp;${options.tcpPort};;`;

  socket.on('message', (request, remote) => {
    const kind = request[0];
    if (kind === CLNT_UCAST_INST) {
      const asked = request.subarray(1).toString('latin1').replace(/\0.*$/s, '');
      lookups.push(asked);
      if (asked.toUpperCase() !== options.instanceName.toUpperCase()) return; // SQL Browser stays silent
    } else if (kind === CLNT_BCAST_EX || kind === CLNT_UCAST_EX) {
      lookups.push('*');
    } else {
      return;
    }
    const data = Buffer.from(answer, 'latin1');
    const header = Buffer.alloc(3);
    header.writeUInt8(SVR_RESP, 0);
    header.writeUInt16LE(data.length, 1);
    socket.send(Buffer.concat([header, data]), remote.port, remote.address);
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error('the SQL Browser double needs UDP 127.0.0.1:1434, which something else holds')
          : error,
      ),
    );
    socket.bind(BROWSER_PORT, '127.0.0.1', () => resolve());
  });

  return {
    lookups,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
