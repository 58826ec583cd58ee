// The small fixed set of error codes that cross every door, and the exit code a script sees for each.

export const ERROR_CODES = [
  'INVALID_INPUT',
  'CONFIG_INVALID',
  'NOT_FOUND',
  'CONFLICT',
  'AUTH_FAILED',
  'UNREACHABLE',
  'TIMEOUT',
  'TLS',
  'PERMISSION_DENIED',
  'KEYCHAIN_UNAVAILABLE',
  'TOOL_MISSING',
  'TOOL_VERSION',
  'NO_SPACE',
  'CHECKSUM_MISMATCH',
  'OUT_OF_WINDOW',
  'BROKEN_CHAIN',
  'CANCELLED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What an error looks like once it has crossed a door: never a stack, always a hint for the DBA. */
export interface WireError {
  code: ErrorCode;
  message: string;
  hint: string;
}

/**
 * Exit codes by error class, stable for scripts: 2 = the caller's input, 3 = connection/credentials,
 * 4 = privileges or keychain, 5 = tools and disk, 6 = data integrity, 7 = recovery window, 8 = cancelled.
 */
export const EXIT_CODES: Record<ErrorCode, number> = {
  INVALID_INPUT: 2,
  CONFIG_INVALID: 2,
  NOT_FOUND: 2,
  CONFLICT: 2,
  AUTH_FAILED: 3,
  UNREACHABLE: 3,
  TIMEOUT: 3,
  TLS: 3,
  PERMISSION_DENIED: 4,
  KEYCHAIN_UNAVAILABLE: 4,
  TOOL_MISSING: 5,
  TOOL_VERSION: 5,
  NO_SPACE: 5,
  CHECKSUM_MISMATCH: 6,
  OUT_OF_WINDOW: 7,
  BROKEN_CHAIN: 7,
  CANCELLED: 8,
  INTERNAL: 1,
};

export function isWireError(value: unknown): value is WireError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.code === 'string' &&
    (ERROR_CODES as readonly string[]).includes(v.code) &&
    typeof v.message === 'string' &&
    typeof v.hint === 'string'
  );
}
