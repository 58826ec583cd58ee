// Vitest wiring for the cluster harness: one cluster (or primary/standby pair) per test file, started in
// beforeAll and always stopped in afterAll, even when a test failed.
import { afterAll, beforeAll } from 'vitest';
import { startCluster, startPrimaryWithStandby, type PgCluster, type StandbyPair, type StartClusterOptions } from './pgCluster';

/** A handle usable from the tests' bodies; touching it before beforeAll has run is a mistake and throws. */
export function useCluster(options: StartClusterOptions = {}): PgCluster {
  let cluster: PgCluster | undefined;
  beforeAll(async () => {
    cluster = await startCluster(options);
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  return lateBound(() => cluster, 'useCluster');
}

export function useStandbyPair(options: Parameters<typeof startPrimaryWithStandby>[0] = {}): StandbyPair {
  let pair: StandbyPair | undefined;
  beforeAll(async () => {
    pair = await startPrimaryWithStandby(options);
  });
  afterAll(async () => {
    await pair?.stop();
  });
  return lateBound(() => pair, 'useStandbyPair');
}

/** Forwards every property to the object once it exists; methods stay bound to it. */
function lateBound<T extends object>(current: () => T | undefined, name: string): T {
  return new Proxy({} as T, {
    get(_target, property) {
      const target = current();
      if (!target) throw new Error(`${name}(): the cluster is not started yet (use it inside a test or hook).`);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
