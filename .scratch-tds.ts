import mssql from 'mssql';
import { startTdsTestDouble, resultSet, info, statsProgress, delay } from './test/support/tds/tdsTestDouble';

const double = await startTdsTestDouble({
  logins: [{ user: 'sa', password: 'S3cret!' }],
  databases: ['orders'],
  rules: [
    { name: 'backup', match: /^BACKUP/, respond: [statsProgress({ intervalMs: 100 })] },
    { name: 'slow', match: /^WAITFOR/, respond: [delay(300), resultSet({ a: 'int' }, [[1]])] },
    { name: 'ok', match: /^SELECT 2/, respond: [resultSet({ a: 'int' }, [[2]])] },
  ],
});
const cfg = { server: double.host, port: double.port, user: 'sa', password: 'S3cret!', database: 'orders', options: { encrypt: false }, pool: { max: 1 } };
const pool = new mssql.ConnectionPool(cfg);
await pool.connect();
const req = pool.request();
const infos: string[] = [];
req.on('info', (m) => { infos.push(m.message); if (infos.length === 3) req.cancel(); });
const t0 = Date.now();
try { await req.query('BACKUP DATABASE x'); console.log('no error?!'); } catch (e) { console.log('cancel:', (e as mssql.RequestError).code, (e as Error).message, Date.now() - t0, infos); }
// cancel before first packet
const req2 = pool.request();
setTimeout(() => req2.cancel(), 50);
try { await req2.query('WAITFOR DELAY 1'); console.log('no error?!'); } catch (e) { console.log('cancel2:', (e as mssql.RequestError).code, (e as Error).message); }
console.log((await pool.request().query('SELECT 2')).recordset);
await pool.close();
console.log(double.statements().map((s) => [s.sql, s.cancelled]), double.connections.map(c => c.attentions));

// wrong password
const msgs: unknown[] = [];
const bad = new mssql.ConnectionPool({ ...cfg, password: 'nope', beforeConnect: (c) => c.on('errorMessage', (m) => msgs.push({ n: m.number, s: m.state, c: m.class, m: m.message })) });
try { await bad.connect(); } catch (e) { console.log('bad:', (e as mssql.ConnectionError).code, (e as Error).message, msgs); }
// encrypt true
const tls = new mssql.ConnectionPool({ ...cfg, options: { encrypt: true, trustServerCertificate: true } });
try { await tls.connect(); console.log('tls connected without encryption!'); await tls.close(); } catch (e) { console.log('tls:', (e as mssql.ConnectionError).code, (e as Error).message); }
console.log(double.connections.slice(-3).map((c) => [c.clientEncryption, c.login?.user, c.login?.accepted, c.login?.failure]));
await double.stop();
