// The core's one error type: raised where the cause is known, with a code and a hint for the DBA.
import type { ErrorCode, WireError } from '../shared/errors';
import { isWireError } from '../shared/errors';

export class LifeboatError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;

  constructor(code: ErrorCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LifeboatError';
    this.code = code;
    this.hint = hint;
  }

  toWire(): WireError {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

/** Whatever was thrown, the shape that may cross a door. Unknown errors keep their message, never a stack. */
export function toWireError(err: unknown): WireError {
  if (err instanceof LifeboatError) return err.toWire();
  if (isWireError(err)) return { code: err.code, message: err.message, hint: err.hint };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message, hint: 'This is a bug in Lifeboat; the log file has the details.' };
}
