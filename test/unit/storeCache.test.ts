// Object stores shared per location: one client per location and credentials, reopened when it is old, when
// Lifeboat changed its credentials, or after a failure a new client may cure. The S3 endpoint is a closed
// loopback port: opening needs no server, and a request fails for real (connection refused: UNREACHABLE).
import { describe, expect, it } from 'vitest';
import { LifeboatError } from '../../src/core/lifeboatError';
import type { StoreAccess } from '../../src/core/repository/store/openRepositoryStore';
import { StoreCache } from '../../src/core/repository/store/storeCache';
import type { SecretStore } from '../../src/core/secrets/secretStore';

const noSecrets: SecretStore = { backend: 'test', get: async () => undefined, set: async () => undefined, delete: async () => false };
const LOCATION = 's3://backups/fleet?endpoint=http://127.0.0.1:9&path-style=true';
const viaEnv = (variable: string): StoreAccess => ({
  secrets: noSecrets,
  credentials: { kind: 'env', accessKeyIdVariable: variable, secretAccessKeyVariable: 'SECRET' },
  env: { [variable]: 'AKID', SECRET: 'secret' },
  s3: { maxAttempts: 1, connectTimeoutMs: 2_000 },
});

describe('StoreCache', () => {
  it('hands every caller of a location the same store, whose close() leaves it open for the others', async () => {
    const cache = new StoreCache();
    const first = await cache.open(LOCATION, viaEnv('KEY'));
    await first.close();
    const again = await cache.open(LOCATION, viaEnv('KEY'));
    expect(again).toBe(first);
    expect(again.name).toBe('s3://backups/fleet?endpoint=http://127.0.0.1:9');
  });

  it('opens afresh when the fleet file names other credentials, when told to forget, and after five minutes', async () => {
    let now = 1_000_000;
    const cache = new StoreCache(() => now);
    const first = await cache.open(LOCATION, viaEnv('KEY'));
    const otherSource = await cache.open(LOCATION, viaEnv('OTHER_KEY'));
    expect(otherSource).not.toBe(first);
    cache.forget(LOCATION);
    const afterForget = await cache.open(LOCATION, viaEnv('OTHER_KEY'));
    expect(afterForget).not.toBe(otherSource);
    now += 4 * 60_000;
    expect(await cache.open(LOCATION, viaEnv('OTHER_KEY'))).toBe(afterForget);
    now += 60_000;
    expect(await cache.open(LOCATION, viaEnv('OTHER_KEY'))).not.toBe(afterForget);
  });

  it('opens afresh after the store was UNREACHABLE, and after a failed open', async () => {
    const cache = new StoreCache();
    const store = await cache.open(LOCATION, viaEnv('KEY'));
    const failure = await store.stat('repository.json').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(LifeboatError);
    expect((failure as LifeboatError).code).toBe('UNREACHABLE');
    expect(await cache.open(LOCATION, viaEnv('KEY'))).not.toBe(store);

    // The environment variable is missing (the agent started without it): no store, and the next open tries again.
    const fresh = new StoreCache();
    const refused = await fresh.open(LOCATION, { ...viaEnv('KEY'), env: {} }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(LifeboatError);
    expect((refused as LifeboatError).message).toContain('KEY');
    const retried = await fresh.open(LOCATION, viaEnv('KEY'));
    expect(retried.name).toBe(store.name);
  });

  it('does not keep folder stores (they hold nothing open)', async () => {
    const cache = new StoreCache();
    const a = await cache.open('/srv/lifeboat', { secrets: noSecrets });
    const b = await cache.open('/srv/lifeboat', { secrets: noSecrets });
    expect(a).not.toBe(b);
    expect(a.name).toBe('/srv/lifeboat');
  });
});
