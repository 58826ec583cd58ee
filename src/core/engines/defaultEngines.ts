// The engines Lifeboat ships with, by kind.
import type { EngineKind } from '../../shared/domain';
import type { Engine } from './engine';
import { postgresEngine } from './postgres/postgresEngine';
import { sqlServerEngine } from './sqlserver/sqlServerEngine';

export function defaultEngines(): Record<EngineKind, Engine> {
  return { postgres: postgresEngine, sqlserver: sqlServerEngine };
}
