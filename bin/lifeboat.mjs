#!/usr/bin/env node
// The `lifeboat` command. Runs the bundle that `npm run build` writes to out/cli, in which each command
// loads only its own code (PostgreSQL runs wal-push and wal-get once per WAL segment). Where that build
// is missing, or older than the sources it came from, it says so and runs the sources through tsx (every
// call then compiles them, which is slow); LIFEBOAT_FROM_SOURCE=1 always runs the sources.
import { existsSync, readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);

/** Why the build cannot be used, or undefined when it can. */
function whyNotBuilt() {
  if (process.env.LIFEBOAT_FROM_SOURCE === '1') return undefined;
  let info;
  try {
    info = JSON.parse(readFileSync(new URL('out/cli/build-info.json', root), 'utf8'));
  } catch {
    return 'Lifeboat is not built (no out/cli)';
  }
  // An installed package carries no sources: its build is the program.
  if (!existsSync(new URL('src/', root))) return undefined;
  for (const input of info.inputs) {
    const modified = statSync(new URL(input, root), { throwIfNoEntry: false })?.mtimeMs;
    if (modified === undefined || modified > info.builtAt) return `The build in out/cli is older than ${input}`;
  }
  return undefined;
}

const why = whyNotBuilt();
const fromSource = why !== undefined || process.env.LIFEBOAT_FROM_SOURCE === '1';
if (why) process.stderr.write(`lifeboat: ${why}; running from the sources (slow). Run "npm run build".\n`);
const argv = process.argv.slice(2);

async function main() {
  if (fromSource) return (await (await import('tsx/esm/api')).tsImport('../src/host/cli/cliMain.ts', import.meta.url)).runCli(argv);
  // wal-push and wal-get (PostgreSQL starts one per WAL segment) go straight to their own bundle.
  const help = argv.some((a) => a === '--help' || a === '-h');
  if (!help && (argv.includes('wal-push') || argv.includes('wal-get'))) {
    const code = await (await import('../out/cli/wal-archive.mjs')).runArchiveCommand(argv);
    if (code !== undefined) return code;
  }
  return (await import('../out/cli/lifeboat.mjs')).runCli(argv);
}

const code = await main();
// Drivers may keep sockets alive for a moment; the answer is printed, but into a pipe Node writes it
// asynchronously: exiting before the pipe has taken it all would cut a long answer (runbook --all | less).
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(code);
