// Azurite (Microsoft's Azure Storage emulator, npm azurite 3.35: the last that declares Node 20), blob
// service only, for the Azure Blob store's tests: its own account with a random key per run (so a wrong
// key is really wrong), a temp folder, a free loopback port, telemetry off. @azure/storage-blob 12.32 speaks
// a newer service version (2026-04-06) than Azurite 3.35 knows, so its version check is skipped: the
// requests the store makes (block blobs, conditional Put Blob, listings) are all older than that.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startEmulator, type EmulatorProcess } from './emulatorProcess';

export interface Azurite extends EmulatorProcess {
  account: string;
  accountKey: string;
  /** The blob service's address, account in the path as Azurite wants it: http://127.0.0.1:<port>/<account>. */
  endpoint: string;
}

const ACCOUNT = 'lifeboattest';

export interface AzuriteOptions {
  /**
   * Keep blobs in memory (--inMemoryPersistence) instead of extent files in the temp folder: what the
   * benchmark uses, as radosgw's memstore, so neither emulator's own disk writes are counted as the store's.
   */
  inMemory?: boolean;
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<Azurite> {
  const accountKey = randomBytes(64).toString('base64');
  const main = join(dirname(createRequire(import.meta.url).resolve('azurite/package.json')), 'dist/src/blob/main.js');
  const emulator = await startEmulator({
    name: 'azurite',
    command: (port, folder) => ({
      program: process.execPath,
      // In memory, Azurite refuses a --location; it still runs in the folder (its working directory).
      args: [main, '--blobHost', '127.0.0.1', '--blobPort', String(port), ...(options.inMemory ? ['--inMemoryPersistence'] : ['--location', folder]), '--silent', '--disableTelemetry', '--skipApiVersionCheck'],
      env: { AZURITE_ACCOUNTS: `${ACCOUNT}:${accountKey}` },
    }),
    // Unauthenticated, this answers 403: enough to know the service parses requests.
    readyPath: `/${ACCOUNT}?comp=list`,
  });
  return { ...emulator, account: ACCOUNT, accountKey, endpoint: `http://127.0.0.1:${emulator.port}/${ACCOUNT}` };
}
