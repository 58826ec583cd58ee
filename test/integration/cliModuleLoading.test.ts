// The built CLI, run as a user runs it, loads only what the command needs: a preload hooks module loading and
// records every module the process resolves, and the test checks that the SQL Server driver, Handlebars and
// playwright-core load only for the commands that use them, and that help loads no core at all.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/api';
import { dispatchCall } from '../../src/core/doorDispatch';
import { EXIT_CODES } from '../../src/shared/errors';
import { freePort } from '../support/freePort';
import { runCli } from '../support/runCli';
import { MemorySecretStore } from '../support/tds/sqlServerTestCore';

const root = resolve('.');
const cliDir = join(root, 'out', 'cli');
const env = { LIFEBOAT_TEST_SQL_PASSWORD: 'Str0ng!Passw0rd', LIFEBOAT_TEST_PG_PASSWORD: 'not-used' };
const DRIVERS = ['mssql', 'tedious', 'handlebars', 'playwright-core'];

// ES modules go through the resolve hook (which runs in the hooks thread, synchronously before each module
// loads, so nothing is lost when the CLI calls process.exit); the CommonJS files those packages require()
// (tedious, under mssql) never reach it, so the preload also writes require.cache out on exit.
const HOOKS = `import { appendFileSync } from 'node:fs';
let trace;
export function initialize(data) { trace = data.trace; }
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(trace, resolved.url + '\\n');
  return resolved;
}
`;
const PRELOAD = `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
const trace = process.env.LIFEBOAT_TEST_MODULE_TRACE;
register('./hooks.mjs', import.meta.url, { data: { trace } });
const require = createRequire(import.meta.url);
process.on('exit', () => appendFileSync(trace, Object.keys(require.cache).map((p) => pathToFileURL(p).href + '\\n').join('')));
`;

let dir: string;
let globals: string[];
let runs = 0;

interface TracedRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Every file the process loaded, relative to the checkout: out/cli/..., node_modules/... */
  files: string[];
}

/** `lifeboat <args>` through bin/lifeboat.mjs, with the preload recording what it loads. */
async function traced(args: string[]): Promise<TracedRun> {
  const trace = join(dir, `trace-${++runs}.txt`);
  await writeFile(trace, '');
  const preload = pathToFileURL(join(dir, 'preload.mjs')).href;
  const r = await runCli([...globals, ...args], {
    env: { ...env, LIFEBOAT_TEST_MODULE_TRACE: trace, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim() },
  });
  // Without a current build, bin/lifeboat.mjs runs the sources and this test would check nothing it means to.
  if (r.stderr.includes('running from the sources')) throw new Error(`out/cli is missing or older than the sources: run "npm run build" first.\n${r.stderr}`);
  const urls = (await readFile(trace, 'utf8')).split('\n').filter((u) => u.startsWith('file:'));
  const files = [...new Set(urls.map((u) => relative(root, fileURLToPath(u)).split('\\').join('/')))].sort();
  return { ...r, files };
}

const packagesIn = (run: TracedRun) => DRIVERS.filter((name) => run.files.some((f) => f.includes(`node_modules/${name}/`)));
const cliFilesIn = (run: TracedRun) => run.files.filter((f) => f.startsWith('out/cli/') && f.endsWith('.mjs'));

/** The sources bundled into the out/cli files a run loaded, from their source maps. */
function sourcesIn(run: TracedRun): string[] {
  const sources = new Set<string>();
  for (const file of cliFilesIn(run)) {
    const map = join(root, `${file}.map`);
    if (!existsSync(map)) throw new Error(`${file} has no source map; the build (scripts/build-cli.mjs) writes one for each module.`);
    for (const source of (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources)
      sources.add(relative(root, resolve(dirname(map), source)).split('\\').join('/'));
  }
  return [...sources].sort();
}

/** out/cli/lifeboat.mjs and the chunks it imports statically, transitively (not its dynamic import()s). */
function staticClosureOfEntry(): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const code = readFileSync(join(cliDir, name), 'utf8');
    for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*)["']\.\/([^"']+\.mjs)["']/g)) visit(m[1]!);
  };
  visit('lifeboat.mjs');
  return [...seen].map((name) => `out/cli/${name}`).sort();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-loading-'));
  await writeFile(join(dir, 'hooks.mjs'), HOOKS);
  await writeFile(join(dir, 'preload.mjs'), PRELOAD);
  globals = ['--config', join(dir, 'fleet.yaml'), '--data-dir', join(dir, 'data')];
  // Nothing listens on these ports: a connection is refused at once.
  const [pgPort, sqlPort] = [await freePort(), await freePort()];
  const core = await createCore({ configPath: join(dir, 'fleet.yaml'), dataDir: join(dir, 'data'), secrets: new MemorySecretStore() });
  try {
    const calls = [
      await dispatchCall(core, 'repo.init', { path: join(dir, 'repo'), encrypt: false }),
      await dispatchCall(core, 'services.add', {
        service: { id: 'orders', name: 'Orders', engine: 'postgres', connection: { host: '127.0.0.1', port: pgPort, database: 'orders', user: 'postgres', tls: 'disable', password: { kind: 'env', variable: 'LIFEBOAT_TEST_PG_PASSWORD' } } },
      }),
      await dispatchCall(core, 'services.add', {
        service: {
          id: 'billing-mssql',
          name: 'Billing',
          engine: 'sqlserver',
          connection: { host: '127.0.0.1', port: sqlPort, database: 'billing', user: 'sa', tls: 'disable', password: { kind: 'env', variable: 'LIFEBOAT_TEST_SQL_PASSWORD' } },
          policy: { sqlServer: { backupDirectory: 'D:\\SQLBackups\\billing' } },
        },
      }),
    ];
    for (const call of calls) expect(call.ok).toBe(true);
  } finally {
    await core.close();
  }
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('what the built CLI loads', () => {
  it.each([
    ['services list', ['services', 'list']],
    ['backups <service>', ['backups', 'orders']],
    ['jobs', ['jobs']],
    ['help', ['help']],
  ])('%s loads no SQL Server driver, Handlebars, playwright-core or document code', async (_, args) => {
    const run = await traced(args);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.files).toContain('out/cli/lifeboat.mjs');
    expect(packagesIn(run)).toEqual([]);
    expect(sourcesIn(run).filter((s) => s.startsWith('src/core/runbooks/') && !s.endsWith('/runbookHandlers.ts'))).toEqual([]);
  });

  it.each([
    ['help', ['help']],
    ['wal-get --help', ['wal-get', '--help']],
  ])('%s loads no core: only lifeboat.mjs and the chunks it imports statically', async (_, args) => {
    const run = await traced(args);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('lifeboat');
    const entryClosure = staticClosureOfEntry();
    expect(cliFilesIn(run).filter((f) => !entryClosure.includes(f))).toEqual([]);
    expect(sourcesIn(run)).not.toContain('src/core/api.ts');
    expect(run.files.filter((f) => f.startsWith('node_modules/'))).toEqual([]);
  });

  it('a command that creates the core loads src/core/api.ts, beyond the static imports of the entry (so the checks above can fail)', async () => {
    const run = await traced(['services', 'list']);
    expect(sourcesIn(run)).toContain('src/core/api.ts');
    const entryClosure = staticClosureOfEntry();
    expect(cliFilesIn(run).filter((f) => !entryClosure.includes(f)).length).toBeGreaterThan(0);
  });

  it('a runbook loads Handlebars and the templates, and no SQL Server driver for a PostgreSQL service', async () => {
    const run = await traced(['runbook', 'orders', '--format', 'md']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('# Runbook: Orders (orders)');
    expect(packagesIn(run)).toEqual(['handlebars']);
    expect(sourcesIn(run)).toContain('src/core/runbooks/documentTemplates.ts');
  });

  it('a SQL Server connection test loads mssql and tedious (and fails fast: nothing listens)', async () => {
    const run = await traced(['services', 'test', 'billing-mssql', '--json']);
    expect(run.code).toBe(EXIT_CODES.UNREACHABLE);
    expect(JSON.parse(run.stdout).error.code).toBe('UNREACHABLE');
    expect(packagesIn(run)).toEqual(['mssql', 'tedious']);
  });
});
