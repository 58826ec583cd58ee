// The OS keychain through keytar: macOS Keychain, Windows Credential Vault, Secret Service on Linux.
import { createRequire } from 'node:module';
import { platform } from 'node:os';
import { LifeboatError } from '../lifeboatError';
import type { SecretStore } from './secretStore';

type Keytar = typeof import('keytar');

const KEYCHAIN_SERVICE = 'Lifeboat';

export const NO_KEYCHAIN_HINT =
  'On a server without a desktop session there is no keychain. Alternatives Lifeboat supports: a PostgreSQL ' +
  'passfile (password source "passfile", ~/.pgpass or a path), or an environment variable whose name is ' +
  'stored in the fleet file (password source "env"). On a Linux desktop, start gnome-keyring or KeePassXC ' +
  'with Secret Service enabled and unlock it.';

export class KeytarSecretStore implements SecretStore {
  readonly backend = backendName();
  private keytar: Keytar | undefined;

  async get(account: string): Promise<string | undefined> {
    const secret = await this.run('read', (k) => k.getPassword(KEYCHAIN_SERVICE, account));
    return secret ?? undefined;
  }

  async set(account: string, secret: string): Promise<void> {
    await this.run('store', (k) => k.setPassword(KEYCHAIN_SERVICE, account, secret));
  }

  async delete(account: string): Promise<boolean> {
    return this.run('delete', (k) => k.deletePassword(KEYCHAIN_SERVICE, account));
  }

  private async run<T>(action: string, fn: (k: Keytar) => Promise<T>): Promise<T> {
    const keytar = this.load();
    try {
      return await fn(keytar);
    } catch (err) {
      // keytar reports a missing D-Bus, a locked keyring or a refused prompt as plain errors.
      throw new LifeboatError(
        'KEYCHAIN_UNAVAILABLE',
        `Cannot ${action} a secret in the OS keychain: ${(err as Error).message}`,
        NO_KEYCHAIN_HINT,
        { cause: err },
      );
    }
  }

  private load(): Keytar {
    if (this.keytar) return this.keytar;
    try {
      // Loaded on first use: the native module is only needed when a secret is touched.
      const required = createRequire(import.meta.url)('keytar') as Keytar & { default?: Keytar };
      this.keytar = required.default ?? required;
      return this.keytar;
    } catch (err) {
      throw new LifeboatError('KEYCHAIN_UNAVAILABLE', `The keychain module could not be loaded: ${(err as Error).message}`, NO_KEYCHAIN_HINT, { cause: err });
    }
  }
}

function backendName(): string {
  switch (platform()) {
    case 'darwin':
      return 'macOS Keychain';
    case 'win32':
      return 'Windows Credential Manager';
    default:
      return 'Secret Service (GNOME Keyring, KWallet, KeePassXC)';
  }
}
