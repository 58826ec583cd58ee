#!/usr/bin/env node
// The `lifeboat` command. Runs the TypeScript CLI through tsx, so a checkout needs no build step.
import { tsImport } from 'tsx/esm/api';

const { runCli } = await tsImport('../src/host/cli/cliMain.ts', import.meta.url);
const code = await runCli(process.argv.slice(2));
// Drivers may keep sockets alive for a moment; the answer is already printed.
process.exit(code);
