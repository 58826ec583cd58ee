// The state of a form built around one text box (the repository key): its value, the box's own error, the
// call in flight and the call's error. The value is cleared once the call succeeds (it may be a secret).
import { useState } from 'react';
import type { ChangeEvent, FormEvent } from 'react';
import type { WireError } from '../../../../shared/errors';
import { toWireError } from '../../client/lifeboatClient';

export interface OneFieldFormOptions {
  /** A message for the box when the trimmed value cannot be sent, or undefined. */
  check(value: string): string | undefined;
  /** Sends the trimmed value; rejects with a WireError. */
  run(value: string): Promise<void>;
}

export function useOneFieldForm({ check, run }: OneFieldFormOptions) {
  const [value, setValue] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<WireError>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = value.trim();
    const problem = check(trimmed);
    if (problem) {
      setFieldError(problem);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await run(trimmed);
      setValue('');
    } catch (err) {
      setError(toWireError(err));
    } finally {
      setBusy(false);
    }
  };

  return {
    busy,
    error,
    onSubmit: (event: FormEvent) => void submit(event),
    /** Props for the TextField. */
    field: {
      value,
      error: fieldError,
      onChange: (event: ChangeEvent<HTMLInputElement>) => {
        setValue(event.target.value);
        setFieldError(undefined);
      },
    },
  };
}
