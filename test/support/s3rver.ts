// s3rver (npm), a test S3 server in Node: its fixed key pair S3RVER/S3RVER, a temp folder, a free loopback
// port. It is not S3: it ignores If-None-Match on PUT, has no AbortMultipartUpload or
// ListMultipartUploads, checks a SigV4 request's access key id but not its signature, and answers the range
// bytes=0-0 with the whole object; the store tests say which cases it cannot prove. Its continuation
// tokens are DES-encrypted, which OpenSSL 3 keeps in its legacy provider: hence the flag.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startEmulator, type EmulatorProcess } from './emulatorProcess';

export interface S3rver extends EmulatorProcess {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export async function startS3rver(): Promise<S3rver> {
  const bin = join(dirname(createRequire(import.meta.url).resolve('s3rver/package.json')), 'bin/s3rver.js');
  const emulator = await startEmulator({
    name: 's3rver',
    command: (port, folder) => ({ program: process.execPath, args: ['--openssl-legacy-provider', bin, '--directory', join(folder, 'data'), '--address', '127.0.0.1', '--port', String(port), '--silent', '--no-vhost-buckets'] }),
    readyPath: '/',
  });
  return { ...emulator, endpoint: `http://127.0.0.1:${emulator.port}`, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
}
