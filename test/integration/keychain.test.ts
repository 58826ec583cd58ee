// The real OS keychain: gnome-keyring over D-Bus, started by test/run-all.sh in a throwaway HOME.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../src/core/secrets/keytarSecretStore';

const run = promisify(execFile);

describe('OS keychain (Secret Service)', () => {
  it('stores, reads back and deletes a password', async () => {
    const store = new KeytarSecretStore();
    const account = `service/test-${randomUUID()}/password`;
    const secret = `pw-${randomUUID()}`;
    await store.set(account, secret);
    expect(await store.get(account)).toBe(secret);
    expect(await store.delete(account)).toBe(true);
    expect(await store.get(account)).toBeUndefined();
    expect(await store.delete(account)).toBe(false);
  });

  it('says clearly, and quickly, when no keychain is reachable, naming the alternatives', async () => {
    const { stdout } = await run('node_modules/.bin/tsx', ['test/support/keychainProbe.ts'], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/lifeboat-bus' },
    });
    const outcome = JSON.parse(stdout) as { ok: boolean; error: { code: string; message: string; hint: string }; ms: number };
    expect(outcome.ok).toBe(false);
    expect(outcome.error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(outcome.error.hint).toMatch(/passfile/);
    expect(outcome.error.hint).toMatch(/environment variable/);
    expect(outcome.ms).toBeLessThan(5000);
  });
});
