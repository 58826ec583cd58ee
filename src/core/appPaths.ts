// Where Lifeboat keeps its files by default: the OS's per-user application-data folder.
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

export interface AppPaths {
  /** The fleet inventory (YAML). */
  configPath: string;
  /** State, journals and logs; never secrets. */
  dataDir: string;
}

export function defaultAppDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME || homedir();
  switch (platform()) {
    case 'win32':
      return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Lifeboat');
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Lifeboat');
    default:
      return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'lifeboat');
  }
}

/** --config beats LIFEBOAT_CONFIG beats the default; LIFEBOAT_DATA_DIR likewise for state and logs. */
export function resolveAppPaths(opts: { configPath?: string; dataDir?: string }, env: NodeJS.ProcessEnv = process.env): AppPaths {
  const base = defaultAppDataDir(env);
  return {
    configPath: opts.configPath || env.LIFEBOAT_CONFIG || join(base, 'fleet.yaml'),
    dataDir: opts.dataDir || env.LIFEBOAT_DATA_DIR || base,
  };
}
