// An extra tablespace on a test cluster: its folder must exist, be empty and belong to the account the server
// runs as (an unprivileged one when the tests run as root) before CREATE TABLESPACE will take it.
import { chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PgCluster } from './pgCluster';

/** Creates tablespace `name` in a folder of that name (or `folder`) inside the cluster's base folder; returns its path. */
export async function createTablespace(cluster: PgCluster, name: string, folder = name): Promise<string> {
  const location = join(cluster.baseDir, folder);
  await mkdir(location);
  await chown(location, cluster.osUser.uid, cluster.osUser.gid);
  await cluster.query(`create tablespace ${name} location '${location.replaceAll("'", "''")}'`);
  return location;
}
