// moto's S3 server (the Python package moto, on this machine's image), the second S3 peer of the store
// tests: unlike s3rver it answers a PUT with If-None-Match: * by 412 when the key exists, and has
// ListMultipartUploads and AbortMultipartUpload. It checks no credentials (any key pair is accepted).
import { spawnSync } from 'node:child_process';
import { startEmulator, type EmulatorProcess } from './emulatorProcess';

export interface MotoServer extends EmulatorProcess {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Why moto cannot run here, or undefined when it can. */
export function motoMissing(): string | undefined {
  const probe = spawnSync('moto_server', ['--help'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.error) return `moto_server is not installed (${(probe.error as NodeJS.ErrnoException).code}); pip install "moto[server]"`;
  return probe.status === 0 ? undefined : `moto_server --help failed: ${probe.stderr.slice(-300)}`;
}

export async function startMotoServer(): Promise<MotoServer> {
  const emulator = await startEmulator({
    name: 'moto',
    command: (port) => ({ program: 'moto_server', args: ['-H', '127.0.0.1', '-p', String(port)] }),
    readyPath: '/moto-api/',
  });
  return { ...emulator, endpoint: `http://127.0.0.1:${emulator.port}`, accessKeyId: 'lifeboat-test', secretAccessKey: 'lifeboat-test-secret' };
}
