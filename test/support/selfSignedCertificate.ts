// A throwaway self-signed server certificate for clusters that test TLS. Its only name is "localhost",
// so a client that checks host names fails against 127.0.0.1 while one that only checks the chain passes.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync } from 'node:fs';
import { join } from 'node:path';
import type { OsUser } from './unprivilegedUser';

export interface CertificateFiles {
  certFile: string;
  keyFile: string;
}

export function writeSelfSignedCertificate(dir: string, owner: OsUser): CertificateFiles {
  const certFile = join(dir, 'server.crt');
  const keyFile = join(dir, 'server.key');
  execFileSync(
    'openssl',
    ['req', '-x509', '-nodes', '-newkey', 'rsa:2048', '-days', '2', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost', '-keyout', keyFile, '-out', certFile],
    { stdio: 'ignore' },
  );
  // PostgreSQL refuses a key file that others can read or that its account does not own.
  chmodSync(keyFile, 0o600);
  chownSync(keyFile, owner.uid, owner.gid);
  chmodSync(certFile, 0o644);
  chownSync(certFile, owner.uid, owner.gid);
  return { certFile, keyFile };
}
