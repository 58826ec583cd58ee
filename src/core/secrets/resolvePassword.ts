// Turns a service's password source into the password for one connection attempt. Values are never cached.
import type { Service } from '../../shared/domain';
import { LifeboatError } from '../lifeboatError';
import { defaultPassfilePath, lookupPgpass } from './pgpassLookup';
import { passwordAccount, type SecretStore } from './secretStore';

export async function resolvePassword(service: Service, secrets: SecretStore, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const source = service.connection.password;
  switch (source.kind) {
    case 'keychain':
      return secrets.get(passwordAccount(service.id));
    case 'env': {
      const value = env[source.variable];
      if (value === undefined || value === '')
        throw new LifeboatError('CONFIG_INVALID', `The environment variable ${source.variable} (password of ${service.id}) is not set.`, `Set ${source.variable} in the environment Lifeboat runs in, or choose another password source.`);
      return value;
    }
    case 'passfile': {
      if (service.engine !== 'postgres')
        throw new LifeboatError('CONFIG_INVALID', `A passfile is a PostgreSQL mechanism; ${service.id} is a SQL Server service.`, 'Use the keychain or an environment variable for SQL Server.');
      const { host, port, database, user } = service.connection;
      return lookupPgpass(source.path ?? defaultPassfilePath(env), { host, port, database, user });
    }
    case 'none':
      return undefined;
  }
}
