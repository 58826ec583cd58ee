// The TDS test double driven by the real mssql/tedious client: a bug in the double would look like a
// client bug in every SQL Server test, so each behaviour the engine tests rely on is pinned here.
import mssql from 'mssql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  delay,
  info,
  resultSet,
  rowCount,
  sqlError,
  startTdsTestDouble,
  statsProgress,
  type TdsTestDouble,
} from '../support/tds/tdsTestDouble';
import { ByteReader, ByteWriter } from '../support/tds/tdsBytes';
import { parseSqlType, readTypeInfo, readValue, writeTypeInfo, writeValue } from '../support/tds/tdsTypes';

let double: TdsTestDouble;
const pools: mssql.ConnectionPool[] = [];

beforeAll(async () => {
  double = await startTdsTestDouble({
    logins: [
      { user: 'sa', password: 'S3cret!pw' },
      { user: 'reporter', password: 'r3port', databases: ['orders'] },
    ],
    databases: ['orders', 'billing', { name: 'archive', state: 'RESTORING' }],
  });
});

afterAll(async () => {
  await double.stop();
});

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close().catch(() => undefined)));
  double.setRules([]);
  double.clearRecords();
});

function poolFor(overrides: Partial<mssql.config> = {}): mssql.ConnectionPool {
  const pool = new mssql.ConnectionPool({
    server: double.host,
    port: double.port,
    user: 'sa',
    password: 'S3cret!pw',
    database: 'orders',
    options: { encrypt: false, appName: 'double-test' },
    pool: { max: 1 },
    ...overrides,
  });
  pools.push(pool);
  return pool;
}

/** Connects and collects the server messages tedious saw during login (mssql keeps only the last text). */
async function tryConnect(overrides: Partial<mssql.config> = {}) {
  const loginErrors: Array<{ number: number; state: number; class: number; message: string }> = [];
  const pool = poolFor({
    ...overrides,
    beforeConnect: (connection) => {
      connection.on('errorMessage', (m) => loginErrors.push({ number: m.number, state: m.state, class: m.class, message: m.message }));
    },
  });
  const error = await pool.connect().then(
    () => undefined,
    (e: unknown) => e as mssql.ConnectionError,
  );
  return { pool, error, loginErrors };
}

describe('TDS test double: login', () => {
  it('accepts a configured login and opens the database it asked for', async () => {
    double.setRules([{ match: /DB_NAME/, respond: (_sql, _params, request) => [resultSet({ db: 'sysname', login: 'sysname' }, [[request.database, request.user]])] }]);
    const pool = await poolFor().connect();
    const result = await pool.request().query('SELECT DB_NAME() AS db, SUSER_SNAME() AS login');
    expect(result.recordset).toEqual([{ db: 'orders', login: 'sa' }]);
    const login = double.connections.at(-1)?.login;
    expect(login).toMatchObject({ user: 'sa', requestedDatabase: 'orders', appName: 'double-test', library: 'Tedious', accepted: true });
  });

  it('rejects a wrong password with error 18456, state 1 as SQL Server shows clients, and hangs up', async () => {
    const { error, loginErrors } = await tryConnect({ password: 'wrong' });
    expect(error?.code).toBe('ELOGIN');
    expect(error?.message).toBe("Login failed for user 'sa'.");
    expect(loginErrors).toEqual([{ number: 18456, state: 1, class: 14, message: "Login failed for user 'sa'." }]);
    // The real reason is only in the server's error log: state 8 = password mismatch.
    expect(double.connections.at(-1)?.login?.failure).toEqual({ numbers: [18456], logState: 8, reason: 'password mismatch' });
  });

  it('rejects an unknown login the same way (error log state 5)', async () => {
    const { loginErrors } = await tryConnect({ user: 'nobody' });
    expect(loginErrors.map((e) => e.number)).toEqual([18456]);
    expect(double.connections.at(-1)?.login?.failure?.logState).toBe(5);
  });

  it('answers 4060 then 18456 for a database that is missing, not granted or not ONLINE', async () => {
    for (const [user, password, database, reason] of [
      ['sa', 'S3cret!pw', 'nosuchdb', 'database does not exist'],
      ['reporter', 'r3port', 'billing', 'login has no user in the database'],
      ['sa', 'S3cret!pw', 'archive', 'database is RESTORING'],
    ] as const) {
      const { loginErrors } = await tryConnect({ user, password, database });
      expect(loginErrors.map((e) => [e.number, e.class])).toEqual([[4060, 11], [18456, 14]]);
      expect(loginErrors[0]?.message).toBe(`Cannot open database "${database}" requested by the login. The login failed.`);
      expect(double.connections.at(-1)?.login?.failure?.reason).toBe(reason);
    }
  });

  it('lets a login restricted to some databases still open master, as guest', async () => {
    const pool = await poolFor({ user: 'reporter', password: 'r3port', database: 'master' }).connect();
    expect(pool.connected).toBe(true);
  });

  it('records that the client asked for encryption; tedious then logs in unencrypted on ENCRYPT_NOT_SUP', async () => {
    // Why the SQL Server engine guards TLS itself: tedious 19 does not end the connection here, as MS-TDS says
    // a client must, and sends LOGIN7 (with the password) in clear.
    const pool = await poolFor({ options: { encrypt: true, trustServerCertificate: true } }).connect();
    expect(pool.connected).toBe(true);
    expect(double.connections.at(-1)).toMatchObject({ clientEncryption: 'ON', login: { accepted: true } });
  });
});

describe('TDS test double: result sets', () => {
  it('round-trips each column type, NULLs included', async () => {
    const long = 'λ'.repeat(4500); // beyond nvarchar(4000): sent as PLP chunks
    double.setRules([
      {
        match: /everything/,
        respond: [
          resultSet(
            {
              nv: 'nvarchar(128)',
              nvmax: 'nvarchar(max)',
              vc: 'varchar(30)',
              i: 'int',
              ti: 'tinyint',
              si: 'smallint',
              bi: 'bigint',
              b: 'bit',
              lsn: 'numeric(25,0)',
              money: 'decimal(10,2)',
              f: 'float',
              d2: 'datetime2(7)',
              dt: 'datetime',
              d: 'date',
              id: 'uniqueidentifier',
              bin: 'varbinary(16)',
              nothing: 'int',
            },
            [
              {
                nv: 'Ünïcode ✓',
                nvmax: long,
                vc: 'plain ascii',
                i: -2147483648,
                ti: 255,
                si: -32768,
                bi: '9007199254740993',
                b: true,
                lsn: '98000000017600001',
                money: '-1234.50',
                f: 0.25,
                d2: '2024-05-01 10:11:12.1234567',
                dt: new Date('2024-05-01T10:11:12.123Z'),
                d: '2024-02-29',
                id: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
                bin: Buffer.from([1, 2, 3]),
                nothing: null,
              },
            ],
          ),
        ],
      },
    ]);
    const pool = await poolFor().connect();
    const { recordset } = await pool.request().query('SELECT everything');
    const row = recordset[0];
    expect(row).toMatchObject({
      nv: 'Ünïcode ✓',
      vc: 'plain ascii',
      i: -2147483648,
      ti: 255,
      si: -32768,
      bi: '9007199254740993', // mssql returns bigint as a string
      b: true,
      money: -1234.5,
      f: 0.25,
      id: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
      nothing: null,
    });
    expect(row.nvmax).toBe(long);
    // numeric(25,0) arrives as a JS number and loses its last digit, exactly as FIELD-NOTES warns.
    expect(row.lsn).toBe(98000000017600000);
    expect((row.d2 as Date).toISOString()).toBe('2024-05-01T10:11:12.123Z');
    expect((row.dt as Date).toISOString()).toBe('2024-05-01T10:11:12.123Z');
    expect((row.d as Date).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(Buffer.from(row.bin as Buffer)).toEqual(Buffer.from([1, 2, 3]));
    expect(recordset.columns.lsn?.type).toBe(mssql.Numeric);
    expect(recordset.columns.lsn?.precision).toBe(25);
    expect(recordset.columns.nvmax?.length).toBe(0xffff); // (max) columns declare 0xFFFF and stream as PLP
  });

  it('sends several result sets and row counts in one answer, rows in column order too', async () => {
    double.setRules([
      {
        match: /two sets/,
        respond: [resultSet([{ name: 'a', type: 'int' }], [[1], [2]]), rowCount(7), resultSet({ b: 'nvarchar(10)' }, [['x']])],
      },
    ]);
    const pool = await poolFor().connect();
    const result = await pool.request().query('two sets');
    expect(result.recordsets).toEqual([[{ a: 1 }, { a: 2 }], [{ b: 'x' }]]);
    expect(result.rowsAffected).toEqual([2, 7, 1]);
  });

  it('answers a fixture mistake with a clear error instead of bad bytes', async () => {
    double.setRules([{ match: /bad fixture/, respond: [resultSet({ n: 'int' }, [['not a number']])] }]);
    const pool = await poolFor().connect();
    await expect(pool.request().query('bad fixture')).rejects.toMatchObject({
      number: 50000,
      message: expect.stringContaining('row 1, column "n" (int): expects an integer'),
    });
  });
});

describe('TDS test double: requests and parameters', () => {
  it('decodes sp_executesql parameters of each type and records the exact T-SQL', async () => {
    double.setRules([{ name: 'echo', match: (_sql, params) => 'db' in params, respond: [rowCount(0)] }]);
    const pool = await poolFor().connect();
    await pool
      .request()
      .input('db', mssql.NVarChar(128), 'orders')
      .input('copies', mssql.Int, 3)
      .input('big', mssql.BigInt, '9007199254740993')
      .input('onlyCopy', mssql.Bit, true)
      .input('lsn', mssql.Numeric(25, 0), '98000000017600001')
      .input('at', mssql.DateTime2(7), new Date('2024-05-01T10:11:12.123Z'))
      .input('path', mssql.VarChar(50), '/var/opt/mssql/backup')
      .input('blob', mssql.VarBinary(mssql.MAX), Buffer.from('hi'))
      .input('missing', mssql.NVarChar(10), null)
      .query('SELECT name FROM sys.databases WHERE name = @db');

    const [statement] = double.statements();
    expect(statement).toMatchObject({ kind: 'rpc', procedure: 'sp_executesql', sql: 'SELECT name FROM sys.databases WHERE name = @db', answeredBy: 'echo' });
    expect(statement?.parameterDeclarations).toContain('@db nvarchar(128)');
    expect(statement?.params).toMatchObject({
      db: 'orders',
      copies: 3,
      big: 9007199254740993n,
      onlyCopy: true,
      path: '/var/opt/mssql/backup',
      missing: null,
    });
    // The double reads numeric digits exactly; tedious has already turned '98000000017600001' into a JS
    // number before sending, so an LSN must travel as a string parameter and be CONVERTed on the server.
    expect(statement?.params.lsn).toBe('98000000017600000');
    expect((statement?.params.at as Date).toISOString()).toBe('2024-05-01T10:11:12.123Z');
    expect(Buffer.from(statement?.params.blob as Buffer).toString()).toBe('hi');
    expect(statement?.parameters.map((p) => [p.name, p.type])).toEqual([
      ['db', 'nvarchar(128)'],
      ['copies', 'int'],
      ['big', 'bigint'],
      ['onlyCopy', 'bit'],
      ['lsn', 'numeric(25,0)'],
      ['at', 'datetime2(7)'],
      ['path', 'varchar(50)'],
      ['blob', 'varbinary(max)'],
      ['missing', 'nvarchar(10)'],
    ]);
  });

  it('tells batches from RPCs and keeps session housekeeping out of statements()', async () => {
    double.setRules([{ match: /^PRINT/, respond: [info('hello')] }]);
    const pool = await poolFor().connect();
    await pool.request().batch("PRINT 'hello'");
    await pool.request().query("PRINT 'hello'");
    expect(double.statements().map((s) => [s.kind, s.sql])).toEqual([
      ['batch', "PRINT 'hello'"],
      ['rpc', "PRINT 'hello'"],
    ]);
    const housekeeping = double.connections.flatMap((c) => c.requests.filter((r) => r.housekeeping));
    expect(housekeeping.some((r) => r.kind === 'batch' && /^set ansi_nulls on\nset ansi_null_dflt_on on/.test(r.sql))).toBe(true);
  });

  it('answers a statement no rule knows with error 2812 naming it, and lists it in unmatched()', async () => {
    const pool = await poolFor().connect();
    await expect(pool.request().query('SELECT   secret_sauce\nFROM kitchen')).rejects.toMatchObject({
      number: 2812,
      class: 16,
      message: 'TDS test double has no fixture for: SELECT secret_sauce FROM kitchen',
    });
    expect(double.unmatched().map((r) => r.sql)).toEqual(['SELECT   secret_sauce\nFROM kitchen']);
  });

  it('lets a rule answer a limited number of times, then falls through to the next', async () => {
    double.setRules([
      { name: 'first try fails', match: /^BACKUP/, times: 1, respond: [sqlError(3201, 'Cannot open backup device.')] },
      { name: 'then works', match: /^BACKUP/, respond: [info('BACKUP DATABASE successfully processed 1 pages.', { number: 3014 })] },
    ]);
    const pool = await poolFor().connect();
    await expect(pool.request().batch('BACKUP DATABASE orders')).rejects.toMatchObject({ number: 3201 });
    await expect(pool.request().batch('BACKUP DATABASE orders')).resolves.toBeDefined();
    expect(double.statements().map((s) => s.answeredBy)).toEqual(['first try fails', 'then works']);
  });
});

describe('TDS test double: messages', () => {
  it('delivers INFO messages as info events while the statement is still running', async () => {
    double.setRules([{ match: /^BACKUP/, respond: [statsProgress({ every: 25, intervalMs: 60 }), info('BACKUP DATABASE successfully processed 354 pages.', { number: 3014 })] }]);
    const pool = await poolFor().connect();
    const request = pool.request();
    const seen: Array<{ message: string; number: number; at: number }> = [];
    request.on('info', (m: { message: string; number: number }) => seen.push({ message: m.message, number: m.number, at: Date.now() }));
    await request.batch("BACKUP DATABASE orders TO DISK = N'/backup/orders.bak' WITH STATS = 25");
    const finished = Date.now();
    expect(seen.map((m) => m.message)).toEqual([
      '25 percent processed.',
      '50 percent processed.',
      '75 percent processed.',
      '100 percent processed.',
      'BACKUP DATABASE successfully processed 354 pages.',
    ]);
    expect(seen[0]?.number).toBe(3211);
    // Progress is observable before the end, not delivered in one lump at completion.
    expect(finished - (seen[0]?.at ?? finished)).toBeGreaterThanOrEqual(150);
  });

  it('surfaces errors with number, state, class and the errors before them', async () => {
    double.setRules([
      {
        match: /^RESTORE/,
        respond: [
          sqlError(3201, "Cannot open backup device '/backup/missing.bak'. Operating system error 2(The system cannot find the file specified.).", { state: 2 }),
          sqlError(3013, 'RESTORE DATABASE is terminating abnormally.'),
        ],
      },
    ]);
    const pool = await poolFor().connect();
    const error = await pool.request().batch("RESTORE DATABASE orders FROM DISK = N'/backup/missing.bak'").then(
      () => undefined,
      (e: unknown) => e as mssql.RequestError & { precedingErrors?: mssql.RequestError[] },
    );
    expect(error).toMatchObject({ number: 3013, class: 16, state: 1, message: 'RESTORE DATABASE is terminating abnormally.', serverName: 'LIFEBOAT-DOUBLE' });
    expect(error?.precedingErrors?.map((e) => [e.number, e.state])).toEqual([[3201, 2]]);
  });
});

describe('TDS test double: cancel (ATTENTION)', () => {
  it('stops a long answer when the client cancels and acknowledges it; the connection stays usable', async () => {
    double.setRules([
      { match: /^BACKUP/, respond: [statsProgress({ every: 10, intervalMs: 80 })] },
      { match: /^SELECT 42/, respond: [resultSet({ answer: 'int' }, [[42]])] },
    ]);
    const pool = await poolFor().connect();
    const request = pool.request();
    const progress: string[] = [];
    request.on('info', (m: { message: string }) => {
      progress.push(m.message);
      if (progress.length === 2) request.cancel();
    });
    await expect(request.batch('BACKUP DATABASE orders')).rejects.toMatchObject({ code: 'ECANCEL' });
    expect(progress).toEqual(['10 percent processed.', '20 percent processed.']);
    expect(double.statements()[0]).toMatchObject({ sql: 'BACKUP DATABASE orders', cancelled: true });
    expect(double.connections.at(-1)?.attentions).toBe(1);
    const after = await pool.request().query('SELECT 42 AS answer');
    expect(after.recordset).toEqual([{ answer: 42 }]);
  });

  it('acknowledges a cancel that arrives before the first byte of the answer', async () => {
    double.setRules([
      { match: /^WAITFOR/, respond: [delay(2000), resultSet({ late: 'int' }, [[1]])] },
      { match: /^SELECT 42/, respond: [resultSet({ answer: 'int' }, [[42]])] },
    ]);
    const pool = await poolFor().connect();
    const request = pool.request();
    const started = Date.now();
    setTimeout(() => request.cancel(), 50);
    await expect(request.query("WAITFOR DELAY '00:00:02'")).rejects.toMatchObject({ code: 'ECANCEL' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await pool.request().query('SELECT 42 AS answer')).recordset).toEqual([{ answer: 42 }]);
  });
});

describe('TDS test double: encryption and lifecycle', () => {
  it('imitates a server that forces encryption (ENCRYPT_REQ): a client with encryption off is refused', async () => {
    const forcing = await startTdsTestDouble({ logins: [{ user: 'sa', password: 'x' }], encryption: 'REQ' });
    try {
      const pool = new mssql.ConnectionPool({ server: forcing.host, port: forcing.port, user: 'sa', password: 'x', options: { encrypt: false } });
      await expect(pool.connect()).rejects.toMatchObject({ code: 'EENCRYPT' });
      expect(forcing.connections[0]?.login).toBeUndefined();
    } finally {
      await forcing.stop();
    }
  });

  it('stop() closes every open connection', async () => {
    const short = await startTdsTestDouble({ logins: [{ user: 'sa', password: 'x' }] });
    const pool = new mssql.ConnectionPool({ server: short.host, port: short.port, user: 'sa', password: 'x', options: { encrypt: false }, pool: { max: 1 } });
    await pool.connect();
    // One connection mssql opened to test the settings and closed, one it keeps in the pool after a query.
    short.setRules([{ match: /^SELECT 1 AS one/, respond: [resultSet({ one: 'int' }, [[1]])] }]);
    await pool.request().query('SELECT 1 AS one');
    expect(short.connections.some((c) => !c.closed)).toBe(true);
    await short.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(short.connections.every((c) => c.closed)).toBe(true);
    await pool.close().catch(() => undefined);
  });
});

describe('TDS test double: value encoding', () => {
  /** Writes a value as a column would carry it and reads it back as a parameter would be read. */
  function roundTrip(type: string, value: Parameters<typeof writeValue>[2]) {
    const w = new ByteWriter();
    writeTypeInfo(w, parseSqlType(type));
    writeValue(w, parseSqlType(type), value, 'test');
    const r = new ByteReader(w.toBuffer(), 'test');
    return readValue(r, readTypeInfo(r));
  }

  it('keeps every digit of numeric(25,0) LSNs and signed decimals, which a JS number cannot', () => {
    expect(roundTrip('numeric(25,0)', '98000000017600001')).toBe('98000000017600001');
    expect(roundTrip('numeric(25,0)', 98000000017600001n)).toBe('98000000017600001');
    expect(roundTrip('decimal(10,2)', '-1234.5')).toBe('-1234.50');
    expect(() => roundTrip('numeric(25,0)', 98000000017600001)).toThrow(/beyond 2\^53 as strings/);
  });

  it('reads zone-less date strings as wall-clock time, as msdb stores them', () => {
    expect((roundTrip('datetime2(7)', '2024-05-01 23:59:59.9999999') as Date).toISOString()).toBe('2024-05-01T23:59:59.999Z');
    expect((roundTrip('datetime', '2024-05-01 10:11:12.123') as Date).toISOString()).toBe('2024-05-01T10:11:12.123Z');
  });
});
