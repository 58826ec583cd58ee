// One contract call's answer kept in a page: loaded when enabled, reloaded on demand, and a slow answer never
// overwrites a newer one (the WAL panel polls while events also ask for reloads).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { WireError } from '../../../../shared/errors';
import { toWireError } from '../../client/lifeboatClient';

export interface Loaded<T> {
  /** undefined until the first answer. */
  value?: T;
  error?: WireError;
  refresh(): Promise<void>;
}

export function useLoaded<T>(load: () => Promise<T>, enabled: boolean): Loaded<T> {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<WireError>();
  const seq = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const next = await load();
      if (mine !== seq.current) return;
      setValue(next);
      setError(undefined);
    } catch (err) {
      if (mine === seq.current) setError(toWireError(err));
    }
  }, [load]);

  useEffect(() => {
    if (enabled) void refresh();
  }, [enabled, refresh]);

  // Answers that arrive after the page closed are dropped.
  useEffect(
    () => () => {
      seq.current += 1;
    },
    [],
  );

  return { value, error, refresh };
}
