// `npm start`: builds and opens the desktop app; where the Electron binary is absent (installed with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1), says so and starts browser mode instead, so the command always works.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const path = require('electron'); // the package exports the binary's path
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const binary = electronBinary();
const child = binary
  ? spawn(binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' })
  : (console.log(
      'The Electron binary is not installed (npm was run with ELECTRON_SKIP_BINARY_DOWNLOAD=1 or offline).\n' +
        'Starting Lifeboat in browser mode instead. For the desktop app: node node_modules/electron/install.js\n',
    ),
    spawn('npx', ['tsx', 'src/host/webMain.ts', ...process.argv.slice(2)], { stdio: 'inherit' }));
child.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
