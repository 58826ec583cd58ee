// Repository keys: 32 random bytes held in the OS keychain under the key's fingerprint. The repository
// itself stores only the fingerprint.
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { LifeboatError } from '../lifeboatError';
import type { SecretStore } from '../secrets/secretStore';
import { keyFingerprint } from './chunkedCipher';

export function keyAccount(fingerprint: string): string {
  return `repository-key/${fingerprint}`;
}

export async function createRepositoryKey(secrets: SecretStore): Promise<{ key: Buffer; fingerprint: string }> {
  const key = randomBytes(32);
  const fingerprint = keyFingerprint(key);
  await secrets.set(keyAccount(fingerprint), key.toString('base64'));
  return { key, fingerprint };
}

/**
 * The key from LIFEBOAT_KEY_FILE (a 0600 file holding the base64 key, for servers without a keychain, e.g.
 * an archive_command running as the postgres user), else from the keychain.
 */
export async function loadRepositoryKey(secrets: SecretStore, fingerprint: string, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  if (env.LIFEBOAT_KEY_FILE) return readKeyFile(env.LIFEBOAT_KEY_FILE, fingerprint);
  const stored = await secrets.get(keyAccount(fingerprint));
  if (!stored)
    throw new LifeboatError('NOT_FOUND', `The key of this repository (fingerprint ${fingerprint}) is not in this computer's keychain.`, 'Import it with "lifeboat repo key import <path>" from the copy your team keeps in its vault.');
  return Buffer.from(stored, 'base64');
}

/** Imports a key given as base64; refuses one whose fingerprint does not match the repository's. */
export async function importRepositoryKey(secrets: SecretStore, base64: string, expectedFingerprint: string): Promise<void> {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== 32) throw new LifeboatError('INVALID_INPUT', 'That is not a Lifeboat repository key (32 bytes, base64).', 'Paste the key exactly as "lifeboat repo key export" printed it.');
  const fingerprint = keyFingerprint(key);
  if (fingerprint !== expectedFingerprint)
    throw new LifeboatError('AUTH_FAILED', `That key (fingerprint ${fingerprint}) is not this repository's key (${expectedFingerprint}).`, 'Find the key whose fingerprint matches lifeboat-repo.json.');
  await secrets.set(keyAccount(fingerprint), key.toString('base64'));
}

async function readKeyFile(path: string, fingerprint: string): Promise<Buffer> {
  let text: string;
  try {
    if (process.platform !== 'win32' && ((await stat(path)).mode & 0o077) !== 0)
      throw new LifeboatError('CONFIG_INVALID', `The key file ${path} is readable by other users.`, `Run chmod 0600 ${path}.`);
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof LifeboatError) throw err;
    throw new LifeboatError('NOT_FOUND', `The key file ${path} (LIFEBOAT_KEY_FILE) cannot be read.`, 'Write the output of "lifeboat repo key export" there, readable only by the account that runs Lifeboat.');
  }
  const key = Buffer.from(text.split('\n').filter((l) => l.trim() && !l.startsWith('#'))[0]?.trim() ?? '', 'base64');
  if (key.length !== 32 || keyFingerprint(key) !== fingerprint)
    throw new LifeboatError('AUTH_FAILED', `The key in ${path} is not this repository's key (fingerprint ${fingerprint}).`, 'Export the right key with "lifeboat repo key export" on a computer that has it.');
  return key;
}
