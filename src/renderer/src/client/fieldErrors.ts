// Per-field validation messages for a form, from the same contract schema the door applies.
import { methodInputs } from '../../../shared/contract';
import type { MethodInput, MethodName } from '../../../shared/contract';

/** Dotted path of the input ("service.connection.host") -> a message a person can act on. */
export type FieldErrors = Record<string, string>;

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  minimum?: unknown;
  origin?: string;
  input?: unknown;
}

export function fieldErrorsFor<M extends MethodName>(method: M, input: MethodInput<M>): FieldErrors {
  const result = methodInputs[method].safeParse(input);
  if (result.success) return {};
  const errors: FieldErrors = {};
  for (const issue of result.error.issues as unknown as Issue[]) {
    const path = issue.path.map(String).join('.');
    if (!(path in errors)) errors[path] = friendlyMessage(issue);
  }
  return errors;
}

function friendlyMessage(issue: Issue): string {
  if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) return 'Required.';
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'Required.';
  // Schema messages written for people ("a duration such as 15m") read better as "Expected ...".
  if (issue.code === 'invalid_format' && /^[a-z]/.test(issue.message)) return `Expected ${issue.message}.`;
  return issue.message;
}
