// Bundles the CLI into out/cli with esbuild, so a command loads only its own code: lifeboat.mjs (the door
// and the help, nothing else) with a chunk per command group, and wal-archive.mjs, the commands PostgreSQL
// runs once per WAL segment (wal-push, wal-get), bundled on its own so that tree-shaking leaves it only what
// it uses (in the shared chunks it would load all of zod's core and locales). Native, driver and browser
// packages stay in node_modules and load on first use. build-info.json lists the sources the bundle came
// from, for bin/lifeboat.mjs to notice a build older than its sources.
import { rm, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const outdir = resolve(root, 'out/cli');
const builtAt = Date.now();
// Chunk names change with their content: old ones would pile up.
await rm(outdir, { recursive: true, force: true });

const common = {
  absWorkingDir: root,
  outdir,
  entryNames: '[name]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Loaded from node_modules when first used: native (keytar, pg-native), large drivers loaded lazily
  // (mssql/tedious, playwright-core, handlebars), and the desktop shell.
  external: ['keytar', 'pg-native', 'mssql', 'tedious', 'playwright-core', 'handlebars', 'electron'],
  // Bundled CommonJS packages call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __lifeboatCreateRequire } from 'node:module'; const require = __lifeboatCreateRequire(import.meta.url);" },
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
};

/** The main bundle reaches the archive commands through their own file. */
const archiveCommandsApart = {
  name: 'archive-commands-apart',
  setup(b) {
    b.onResolve({ filter: /\/walArchiveCommands$/ }, () => ({ path: './wal-archive.mjs', external: true }));
  },
};

const results = await Promise.all([
  build({ ...common, entryPoints: { lifeboat: 'src/host/cli/cliMain.ts' }, splitting: true, chunkNames: '[name]-[hash]', plugins: [archiveCommandsApart] }),
  // Split too: the fleet file's YAML parser loads only when the file changed since the last call.
  build({ ...common, entryPoints: { 'wal-archive': 'src/host/cli/walArchiveCommands.ts' }, splitting: true, chunkNames: 'wal-[name]-[hash]' }),
]);

const inputs = [...new Set(results.flatMap((r) => Object.keys(r.metafile.inputs)))]
  .filter((p) => !p.includes('node_modules/'))
  .map((p) => relative(root, resolve(root, p)))
  .sort();
await writeFile(resolve(outdir, 'build-info.json'), JSON.stringify({ builtAt, inputs }, null, 1) + '\n');
const outputs = results.flatMap((r) => Object.entries(r.metafile.outputs)).filter(([p]) => p.endsWith('.mjs'));
const bytes = outputs.reduce((n, [, o]) => n + o.bytes, 0);
console.log(`out/cli: ${outputs.length} modules, ${(bytes / 1024).toFixed(0)} KiB, from ${inputs.length} sources`);
