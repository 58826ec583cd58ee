// Smoke test of the desktop app itself. It needs Electron's binary, which machines installed with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1 lack: then it is skipped, visibly, and the same UI is covered in Chromium
// by the browser-mode tests.
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';

function electronBinary(): string | undefined {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
if (!binary) console.warn('Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD): the desktop smoke test is skipped.');

describe('desktop app (Electron)', () => {
  it.skipIf(!binary)('opens the fleet page with the bridge exposed and no Node in the renderer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-electron-'));
    const app = await electron.launch({
      executablePath: binary!,
      args: ['.', '--no-sandbox'],
      env: { ...process.env, LIFEBOAT_CONFIG: join(dir, 'fleet.yaml'), LIFEBOAT_DATA_DIR: join(dir, 'data') } as Record<string, string>,
    });
    try {
      const window = await app.firstWindow();
      expect(await window.title()).toBe('Lifeboat');
      const globals = await window.evaluate(() => ({
        bridge: typeof (window as unknown as { lifeboat?: unknown }).lifeboat,
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
      }));
      expect(globals).toEqual({ bridge: 'object', require: 'undefined', process: 'undefined' });
      await window.getByRole('heading', { name: 'Fleet' }).waitFor();
      // Context isolation: the page sees the bridge but not the preload's ipcRenderer.
      expect(await window.evaluate(() => Object.keys((window as unknown as { lifeboat: object }).lifeboat).sort())).toEqual(['onMessage', 'send']);
    } finally {
      await app.close();
    }
  });
});
