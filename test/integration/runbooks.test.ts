// Runbooks and the fleet report generated from a small fleet of real clusters with real backups: "shop" (WAL
// streamed, a physical backup, three rows committed at known times, a drill), "ledger" (a primary with a
// streaming standby, a physical backup, no WAL streaming) and "ledger-standby". The Markdown and HTML are
// parsed and checked against the contract's own facts; the PDF is read back with pdftotext; the PostgreSQL
// point-in-time restore procedure is executed exactly as written in the generated runbook; the password
// appears nowhere. Sample outputs land in test-results/runbooks/.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { chmod, chown, copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { marked, type Token, type Tokens } from 'marked';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/jobs';
import type { Connection } from '../../src/shared/domain';
import { chromiumPdfRenderer } from '../../src/core/runbooks/chromiumPdfRenderer';
import { formatDuration, formatTime } from '../../src/core/formatFacts';
import { launchChromium } from '../support/browser';
import { startCluster, startPrimaryWithStandby, type PgCluster, type StandbyPair } from '../support/pgCluster';
import { runCli } from '../support/runCli';
import { startTestCore, type TestCore } from '../support/testCore';
import { clusterOsUser } from '../support/unprivilegedUser';
import { until } from '../support/until';

const password = `pw-${randomBytes(8).toString('hex')}`;
const samples = resolve('test-results/runbooks');
const keychain = (c: Connection): Connection => ({ ...c, password: { kind: 'keychain' } });
let dir: string;
let t: TestCore;
let shop: PgCluster;
let ledger: StandbyPair;
let browser: Browser;
let globals: string[];
let serverKeyFile: string;
const commits: string[] = [];
const outputs: Record<string, string> = {};


async function commitRow(id: number): Promise<string> {
  await shop.query('insert into items values ($1, $2)', [id, `row ${id}`], 'shop');
  const [row] = await shop.query<{ at: string }>(
    "select to_char(pg_xact_commit_timestamp(xmin) at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') as at from items where id = $1",
    [id],
    'shop',
  );
  await shop.query('select pg_switch_wal()');
  return row!.at;
}

const finished = (job: Job) => t.core.jobs.wait(job.id);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-runbooks-'));
  await chmod(dir, 0o755);
  t = await startTestCore(dir);
  globals = ['--config', t.configPath, '--data-dir', t.dataDir];
  serverKeyFile = join(dir, 'server-etc', 'repo.key');
  shop = await startCluster({ superuserPassword: password, settings: { track_commit_timestamp: true } });
  ledger = await startPrimaryWithStandby({ superuserPassword: password });
  await shop.query('create database shop');
  await shop.query('create table items (id int primary key, note text)', [], 'shop');

  const contacts = [{ name: 'Ana Silva', role: 'DBA on call', phone: '+351 900 000 001', email: 'ana@example.test' }];
  await t.call('services.add', {
    service: { id: 'shop', name: 'Shop orders', owner: 'Ana Silva', team: 'Checkout', contacts, engine: 'postgres', connection: keychain(shop.connection('shop')), tags: ['tier-1'], policy: { rpo: '1h', rto: '1h', retention: { keep: 7 }, drillChecks: [{ name: 'items exist', sql: 'select count(*) from items' }] } },
    password,
  });
  await t.call('services.add', { service: { id: 'ledger', name: 'General ledger', team: 'Finance', engine: 'postgres', connection: keychain(ledger.primary.connection('postgres')), policy: { rpo: '15m', rto: '30m' } }, password });
  await t.call('services.add', { service: { id: 'ledger-standby', name: 'General ledger standby', engine: 'postgres', connection: keychain(ledger.standby.connection('postgres')) }, password });
  await t.call('repo.init', { path: join(dir, 'repo'), encrypt: true });
  for (const id of ['shop', 'ledger', 'ledger-standby']) await t.call('services.test', { id });

  await t.call('wal.start', { serviceId: 'shop' });
  await until('the slot to be active', async () => (await t.call('wal.status', { serviceId: 'shop' })).slot?.active);
  const jobs = await t.call('backups.start', { serviceIds: ['shop', 'ledger'], kind: 'physical' });
  for (const j of jobs) expect((await finished(j)).state).toBe('succeeded');
  for (const id of [1, 2, 3]) {
    commits.push(await commitRow(id));
    await new Promise((r) => setTimeout(r, 1100));
  }
  await until('WAL archived through row 3', async () => (await t.call('window.get', { serviceId: 'shop' })).intervals.some((i) => Date.parse(i.to) >= Date.parse(commits[2]!)));
  const drill = await finished(await t.call('drills.start', { serviceId: 'shop' }));
  expect(drill.state, drill.error?.message).toBe('succeeded');
  // A failure in the period: ledger archives no WAL, so a drill to its latest point has nothing to restore to
  // (without a target, the drill would prove the backup's own end instead).
  expect((await finished(await t.call('drills.start', { serviceId: 'ledger', target: { kind: 'latest' } }))).state).toBe('failed');
  browser = await launchChromium();
  await mkdir(samples, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await t?.call('wal.stop', { serviceId: 'shop' }).catch(() => undefined);
  await ledger?.stop();
  await shop?.stop();
  await t?.close();
});

/** The rows of the table whose first column reads `label`, as plain text. */
function tableCell(tokens: Token[], label: string): string {
  for (const tk of tokens) {
    if (tk.type !== 'table') continue;
    const row = (tk as Tokens.Table).rows.find((r) => r[0]?.text === label);
    if (row) return row[1]!.text;
  }
  throw new Error(`no table row "${label}"`);
}

/** Each "#### Step N: ..." of the named procedure with its code block, in order. */
function procedureSteps(tokens: Token[], procedureTitle: string): Array<{ title: string; code: string; lang: string }> {
  const start = tokens.findIndex((tk) => tk.type === 'heading' && (tk as Tokens.Heading).depth === 3 && (tk as Tokens.Heading).text.includes(procedureTitle));
  if (start < 0) throw new Error(`no procedure "${procedureTitle}"`);
  const steps: Array<{ title: string; code: string; lang: string }> = [];
  for (let i = start + 1; i < tokens.length; i++) {
    const tk = tokens[i]!;
    if (tk.type === 'heading' && (tk as Tokens.Heading).depth <= 3) break;
    if (tk.type === 'heading' && /^Step \d+:/.test((tk as Tokens.Heading).text)) steps.push({ title: (tk as Tokens.Heading).text, code: '', lang: '' });
    else if (tk.type === 'code' && steps.length && !steps.at(-1)!.code) Object.assign(steps.at(-1)!, { code: (tk as Tokens.Code).text, lang: (tk as Tokens.Code).lang ?? '' });
  }
  return steps;
}

async function htmlFacts(html: string): Promise<Record<string, string>> {
  const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
  try {
    const page = await context.newPage();
    await page.setContent(html);
    return await page.evaluate(() => {
      const out: Record<string, string> = {};
      document.querySelectorAll('[data-fact]').forEach((e) => (out[e.getAttribute('data-fact')!] = (e.textContent ?? '').trim()));
      out.title = document.title;
      out.host = document.querySelector('code.host')?.textContent ?? '';
      out.port = document.querySelector('code.port')?.textContent ?? '';
      out.svgRects = String(document.querySelectorAll('svg.timeline rect').length);
      out.windowFrom = document.querySelector('[data-fact="window"] time')?.getAttribute('datetime') ?? '';
      return out;
    });
  } finally {
    await context.close();
  }
}

describe('runbooks generated from the live fleet', () => {
  it('states the facts of shop in Markdown: window bounds, last backup, host and port, drill RTO, contacts', async () => {
    const [window, backups, [drill]] = await Promise.all([t.call('window.get', { serviceId: 'shop' }), t.call('backups.list', { serviceId: 'shop' }), t.call('drills.list', { serviceId: 'shop' })]);
    const r = await t.call('runbooks.render', { document: { kind: 'runbook', serviceId: 'shop' }, format: 'md', serverKeyFile });
    outputs['runbook-shop.md (contract)'] = r.content;
    expect(r.fileName).toBe(`runbook-shop-${r.generatedAt.slice(0, 10)}.md`);
    const tokens = marked.lexer(r.content);
    expect(tokens[0]).toMatchObject({ type: 'heading', depth: 1, text: 'Runbook: Shop orders (shop)' });
    expect(r.content).toContain(`Generated ${formatTime(r.generatedAt)} by Lifeboat`);
    expect(r.content).toContain(`backup repository ${join(dir, 'repo')}`);
    const last = [...backups].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))[0]!;
    expect(tableCell(tokens, 'Last good backup')).toContain(last.id);
    expect(tableCell(tokens, 'Recoverable window')).toBe(`from ${formatTime(window.intervals[0]!.from)} to ${formatTime(window.intervals[0]!.to)}`);
    expect(tableCell(tokens, 'Address')).toBe(`host \`127.0.0.1\`, port \`${shop.port}\``);
    expect(tableCell(tokens, 'Last drill')).toContain(`measured RTO ${formatDuration(drill!.rtoMs!)}`);
    expect(tableCell(tokens, 'Version')).toMatch(/^15\.\d+ \(last connection test /);
    expect(tableCell(tokens, 'RPO (data loss allowed)')).toBe('1 hour (1h)');
    expect(tableCell(tokens, 'Key held in')).toMatch(/^OS keychain, service "Lifeboat", account "repository-key\/[^"]+"/);
    expect(tableCell(tokens, 'WAL streaming')).toMatch(/^streaming; slot lifeboat_shop active/);
    expect(r.content).toContain('- **Ana Silva** (DBA on call), phone +351 900 000 001, ana@example.test');
    // Every procedure of a PostgreSQL runbook is there, with exact commands for this service.
    for (const title of ['Restore the whole cluster to a point in time (PostgreSQL)', 'Restore one database under a new name', 'Recover data from a point in time', 'Promote a standby', 'Verify a backup', 'Find, export and rotate the repository key'])
      expect(tokens.some((tk) => tk.type === 'heading' && (tk as Tokens.Heading).depth === 3 && (tk as Tokens.Heading).text.includes(title)), title).toBe(true);
    expect(r.content).toContain(`lifeboat verify ${last.id} --config ${t.configPath}`);
    expect(r.content).toContain(`lifeboat pitr shop --at '<TARGET TIME`);
    expect(r.content).toContain('Lifeboat does not rotate a repository key');
  });

  it('shows the standby in ledger\'s topology and the exact promotion commands for it', async () => {
    const r = await t.call('runbooks.render', { document: { kind: 'runbook', serviceId: 'ledger' }, format: 'md' });
    outputs['runbook-ledger.md'] = r.content;
    expect(r.content).toMatch(/This server is \*\*primary\*\*/);
    expect(r.content).toContain('(ledger-standby)');
    expect(r.content).toContain(`psql -h 127.0.0.1 -p ${ledger.standby.port} -d postgres -c "select pg_promote(wait => true, wait_seconds => 60)"`);
    expect(tableCell(marked.lexer(r.content), 'Recoverable window')).toMatch(/^unknown: no recoverable window/);
  });

  it('says "unknown: <reason>" for the facts of a server that is down, and still renders the document', async () => {
    await t.call('services.add', { service: { id: 'gone', name: 'Gone service', engine: 'postgres', connection: { host: '127.0.0.1', port: 1, database: 'gone', user: 'postgres', tls: 'disable', password: { kind: 'none' } } } });
    try {
      const r = await t.call('runbooks.render', { document: { kind: 'runbook', serviceId: 'gone' }, format: 'md' });
      const tokens = marked.lexer(r.content);
      expect(tableCell(tokens, 'Replication')).toMatch(/^unknown: .*(ECONNREFUSED|refused|UNREACHABLE)/i);
      expect(tableCell(tokens, 'Last good backup')).toBe('none');
      const html = await t.call('runbooks.render', { document: { kind: 'runbook', serviceId: 'gone' }, format: 'html' });
      expect(html.content).toContain('<span class="unknown">unknown: ');
    } finally {
      await t.call('services.remove', { id: 'gone' });
    }
  });

  it('states the same facts in self-contained HTML with the window drawn as inline SVG', async () => {
    const [window, backups, [drill]] = await Promise.all([t.call('window.get', { serviceId: 'shop' }), t.call('backups.list', { serviceId: 'shop' }), t.call('drills.list', { serviceId: 'shop' })]);
    const r = await t.call('runbooks.render', { document: { kind: 'runbook', serviceId: 'shop' }, format: 'html', serverKeyFile });
    const facts = await htmlFacts(r.content);
    const last = [...backups].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))[0]!;
    expect(facts.title).toBe('Runbook: Shop orders (shop)');
    expect(facts['last-backup']).toContain(last.id);
    expect(facts.windowFrom).toBe(window.intervals[0]!.from);
    expect(facts.window).toBe(`from ${formatTime(window.intervals[0]!.from)} to ${formatTime(window.intervals[0]!.to)}`);
    expect(facts['last-drill']).toContain(`measured RTO ${formatDuration(drill!.rtoMs!)}`);
    expect([facts.host, facts.port]).toEqual(['127.0.0.1', String(shop.port)]);
    expect(Number(facts.svgRects)).toBeGreaterThanOrEqual(1);
    // Self-contained: no script, no external stylesheet, image or link (the SVG namespace is not a fetch).
    expect(r.content).not.toMatch(/<script|<link|<img|<iframe|url\(/i);
    expect(r.content.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
    expect(r.content).toContain(`<meta name="generated-at" content="${r.generatedAt}">`);
  });

  it('reports the fleet: compliance per service, the failed drill, storage, drill history, risks', async () => {
    const r = await t.call('runbooks.render', { document: { kind: 'report', days: 7 }, format: 'md' });
    const tokens = marked.lexer(r.content);
    const compliance = tokens.find((tk): tk is Tokens.Table => tk.type === 'table' && tk.header[0]?.text === 'Service' && tk.header[1]?.text === 'RPO target')!;
    const row = (id: string) => compliance.rows.find((cells) => cells[0]!.text === `\`${id}\``)!.map((c) => c.text);
    expect(row('shop')[4]).toBe('**met**');
    expect(row('shop')[7]).toBe('**met**');
    expect(row('ledger')[4]).toBe('**met**'); // a backup minutes old against 15 minutes
    // The one compliance rule: a failed last drill misses the RTO, in the report as on the dashboard.
    expect(row('ledger')[6]).toMatch(/^failed \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\)$/);
    expect(row('ledger-standby')[6]).toBe('never drilled');
    expect(row('ledger')[7]).toBe('**missed**');
    expect(row('ledger-standby')[4]).toBe('**no target**');
    expect(r.content).toMatch(/`ledger` drill: Restore drill of ledger: .*\(OUT_OF_WINDOW\)/);
    expect(r.content).toContain('**medium** `ledger`: no WAL streaming');
    expect(r.content).toContain('**high** `ledger`: last drill failed: There is no point in time to restore ledger to');
    expect(r.content).toContain('**medium** `ledger-standby`: never drilled');
    const storage = tokens.find((tk): tk is Tokens.Table => tk.type === 'table' && tk.header[1]?.text === 'Backups')!;
    const shopStorage = storage.rows.find((cells) => cells[0]!.text === '`shop`')!.map((c) => c.text);
    expect(shopStorage[1]).toBe('1');
    expect(shopStorage[3]).toMatch(/MB$/); // WAL segments streamed
    const drills = tokens.find((tk): tk is Tokens.Table => tk.type === 'table' && tk.header[2]?.text === 'Result')!;
    expect(drills.rows.map((cells) => [cells[1]!.text, cells[2]!.text])).toEqual(expect.arrayContaining([['`shop`', 'passed']]));
  });

  it('writes Markdown, HTML and PDF through the CLI; pdftotext finds every service; the password is in none', async () => {
    // Stop streaming first: the CLI builds its own core on the same data folder.
    await t.call('wal.stop', { serviceId: 'shop' });
    const files: Array<[string[], string]> = [
      [['runbook', 'shop', '--format', 'md', '--server-key-file', serverKeyFile], 'runbook-shop.md'],
      [['runbook', 'shop', '--format', 'html', '--server-key-file', serverKeyFile], 'runbook-shop.html'],
      [['runbook', '--all', '--format', 'md'], 'runbooks.md'],
      [['runbook', '--all', '--format', 'html'], 'runbooks.html'],
      [['runbook', '--all', '--format', 'pdf'], 'runbooks.pdf'],
      [['report', '--format', 'md', '--days', '30'], 'fleet-report.md'],
      [['report', '--format', 'html'], 'fleet-report.html'],
      [['report', '--format', 'pdf'], 'fleet-report.pdf'],
    ];
    for (const [args, name] of files) {
      const out = join(samples, name);
      const r = await runCli([...globals, ...args, '--out', out, '--json']);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ path: out, fileName: expect.stringMatching(new RegExp(`\\.${name.split('.').pop()}$`)) });
      outputs[name] = name.endsWith('.pdf') ? await pdfText(out) : await readFile(out, 'utf8');
    }
    for (const name of ['runbooks.pdf', 'fleet-report.pdf']) {
      expect((await readFile(join(samples, name))).subarray(0, 5).toString()).toBe('%PDF-');
      for (const service of ['Shop orders', 'General ledger', 'General ledger standby']) expect(outputs[name], `${service} in ${name}`).toContain(service);
    }
    expect(outputs['runbooks.pdf']).toContain('Restore the whole cluster to a point in time');
    for (const [name, text] of Object.entries(outputs)) expect(text.includes(password), `the password in ${name}`).toBe(false);
    const stdout = await runCli([...globals, 'runbook', 'shop']);
    expect(stdout.stdout).toMatch(/^# Runbook: Shop orders \(shop\)/);
    const refused = await runCli([...globals, 'runbook', 'shop', '--format', 'pdf']);
    expect(refused.code).toBe(2);
  });

  it('restores shop to a time between rows 2 and 3 by executing the runbook\'s steps as written: exactly rows 1 and 2', async () => {
    const md = readFileSync(join(samples, 'runbook-shop.md'), 'utf8');
    const steps = procedureSteps(marked.lexer(md), 'Restore the whole cluster to a point in time (PostgreSQL)');
    expect(steps.map((s) => s.title.replace(/^Step \d+: /, ''))).toEqual(['Stop PostgreSQL', 'Keep the current data directory', expect.stringMatching(/^Unpack base backup /), 'Configure recovery to the target time', 'Start PostgreSQL and wait for recovery', 'Remove the recovery settings']);
    expect(steps.every((s) => s.lang === 'sh' && s.code)).toBe(true);
    const between = new Date((Date.parse(commits[1]!) + Date.parse(commits[2]!)) / 2);
    const target = between.toISOString().replace('T', ' ').replace('Z', '+00');
    const placeholder = /<TARGET TIME[^>]*>/;
    expect(steps.filter((s) => placeholder.test(s.code)).map((s) => s.title)).toEqual([expect.stringMatching(/Configure recovery/)]);

    // What "Before you start" asks of the DBA: the key file on the server, readable only by postgres's account;
    // the fleet file and repository readable by it; lifeboat, pg_ctl and psql on its PATH.
    const user = clusterOsUser();
    const { key } = await t.core.exportRepositoryKey();
    await mkdir(dirname(serverKeyFile), { recursive: true });
    await writeFile(serverKeyFile, `# Lifeboat repository key\n${key}\n`, { mode: 0o600 });
    const agentData = join(dir, 'server-lifeboat-data');
    const bin = join(dir, 'server-bin');
    await mkdir(agentData, { recursive: true });
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'lifeboat'), `#!/bin/sh\nexec ${process.execPath} ${resolve('bin/lifeboat.mjs')} "$@"\n`, { mode: 0o755 });
    await chmod(t.configPath, 0o644);
    for (const path of [dirname(serverKeyFile), serverKeyFile, agentData]) await chown(path, user.uid, user.gid);
    expect(spawnSync('chown', ['-R', `${user.uid}:${user.gid}`, join(dir, 'repo')]).status).toBe(0);
    const env = {
      PATH: `${bin}:${dirname(shop.binaries.path('pg_ctl'))}:/usr/local/bin:/usr/bin:/bin`,
      LIFEBOAT_DATA_DIR: agentData,
      HOME: agentData,
      PGHOST: shop.socketDir,
      PGPORT: String(shop.port),
      PGUSER: 'postgres',
      PGDATABASE: 'postgres',
    };

    const log = join(dir, 'runbook-steps.log');
    for (const step of steps) {
      const code = step.code.replace(new RegExp(placeholder.source, 'g'), target);
      await writeFile(log, `\n### ${step.title}\n${code}\n`, { flag: 'a' });
      const fd = openSync(log, 'a');
      try {
        // Wait for the shell to exit, not for its output to close: pg_ctl start leaves the postmaster holding it.
        const exit = await new Promise<number | null>((res, rej) => {
          const child = spawn('/bin/bash', ['-e', '-c', code], { cwd: shop.baseDir, env, uid: user.uid, gid: user.gid, stdio: ['ignore', fd, fd] });
          child.once('error', rej);
          child.once('exit', (c) => res(c));
        });
        expect(exit, `${step.title} failed:\n${readFileSync(log, 'utf8').slice(-4000)}\n--- server log ---\n${shop.logTail(30)}`).toBe(0);
      } finally {
        closeSync(fd);
      }
    }
    await until('recovery to end and the server to promote', async () => (await shop.query<{ r: boolean }>('select pg_is_in_recovery() as r'))[0]!.r === false, 120_000);
    const rows = await shop.query<{ id: number }>('select id from items order by id', [], 'shop');
    expect(rows.map((r) => r.id)).toEqual([1, 2]);
    // The last step took the recovery settings out again: a later restore of this server's backups is not steered by them.
    const leftover = await shop.query<{ name: string }>("select name from pg_file_settings where sourcefile like '%postgresql.auto.conf' and (name like 'recovery_target%' or name = 'restore_command')");
    expect(leftover).toEqual([]);
    // The old data directory was kept, as step 2 promised.
    expect(spawnSync('ls', [`${shop.dataDir}.before-restore-${new Date().toISOString().slice(0, 10)}`]).status).toBe(0);
    await copyFile(log, join(samples, 'executed-pitr-steps.log'));
  });
});

describe('printing to PDF', () => {
  it('never fetches anything the HTML points to: images, stylesheets and frames are refused', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.end('x');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const html = `<!doctype html><html><head><link rel="stylesheet" href="${base}/a.css"></head><body><h1>Offline</h1><img src="${base}/b.png"><iframe src="${base}/c"></iframe><script src="${base}/d.js"></script></body></html>`;
      const pdf = await chromiumPdfRenderer().render(html, { title: 'offline' });
      expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
      expect(requests).toBe(0);
    } finally {
      server.close();
    }
  });
});

async function pdfText(path: string): Promise<string> {
  const { stdout } = await promisify(execFile)('pdftotext', ['-layout', path, '-']);
  return stdout;
}
