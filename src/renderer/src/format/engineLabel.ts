// How each engine is named on screen, and its default port for the wizard.
import type { EngineKind } from '../../../shared/domain';

export const ENGINE_LABEL: Record<EngineKind, string> = { postgres: 'PostgreSQL', sqlserver: 'SQL Server' };

export const DEFAULT_PORT: Record<EngineKind, number> = { postgres: 5432, sqlserver: 1433 };
